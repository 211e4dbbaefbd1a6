"""The agreed-language finder on the real corpus, through the command line and the pages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from secretariat.accounts.models import Body
from secretariat.archive import finding
from secretariat.documents import actions

CICA_2022 = (
    "Recognising also that terrorism cannot and should not be associated with any "
    "religion, nationality, civilisation or ethnic group"
)
CICA_2006 = (
    "Terrorism can not be and should not be associated with any religion, nationality, "
    "civilization or ethnic group."
)
ASEM_2002 = "any attempt to associate terrorism with any religion, race or nationality"


def _precedents(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("archive", "precedents", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_acceptance_the_2022_sentence_finds_2006_and_2002_wording(corpus) -> None:
    results = _precedents("--text", CICA_2022)
    top3 = [r["text"] for r in results[:3]]
    assert CICA_2006 in top3
    assert any(ASEM_2002 in r["text"] for r in results[:5])
    first = results[0]
    assert first == {
        **first,
        "source": "cica-2006-almaty-summit-declaration.txt",
        "date": "2006-06-17",
        "symbol": None,
    }
    assert set(first) == {
        "document",
        "symbol",
        "source",
        "date",
        "paragraph",
        "score",
        "text",
        "diff",
    }
    assert 0.5 <= first["score"] <= 1
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    # The draft itself is not offered: drafts are left out unless asked for.
    assert all(r["source"] != "cica-2022-swg-circular-drafts.txt" for r in results)
    # Word by word: the query's "Recognising also that" is not in the 2006 text.
    deleted = " ".join(op["query"] for op in first["diff"] if op["op"] in ("delete", "replace"))
    assert "Recognising also that" in deleted
    equal = " ".join(op["text"] for op in first["diff"] if op["op"] == "equal")
    assert "should not be associated with any religion nationality" in equal


def test_drafts_come_in_with_the_switch(corpus) -> None:
    results = _precedents("--text", CICA_2022, "--include-drafts", "--top", "3")
    assert results[0]["source"] == "cica-2022-swg-circular-drafts.txt"
    assert results[0]["score"] == pytest.approx(1.0)
    assert results[0]["symbol"] == "SWG/OI/1262"


def test_a_sentence_reused_inside_a_longer_paragraph_is_found(corpus) -> None:
    results = _precedents(
        "--text",
        "We reject any attempt to associate terrorism with any religion, race or nationality.",
    )
    assert results[0]["source"] == "asem-2002-copenhagen-declaration-terrorism.txt"
    assert len(results[0]["text"]) > 3 * len(ASEM_2002)


def test_reuse_with_edits_is_found(corpus) -> None:
    results = _precedents(
        "--text",
        "We strongly condemn all acts of terrorism as criminal and "
        "unjustifiable, whatever their motivation, forms and manifestations.",
    )
    assert results and results[0]["source"] == "asem-2002-copenhagen-declaration-terrorism.txt"


def test_nothing_close_says_so_instead_of_listing_weak_matches(corpus) -> None:
    assert (
        _precedents(
            "--text",
            "The annual football tournament of the embassy staff will "
            "take place on the lawn behind the chancery next Friday.",
        )
        == []
    )
    out = io.StringIO()
    call_command("archive", "precedents", "--text", "Banana bread recipes for spring.", stdout=out)
    assert "No precedent found." in out.getvalue()


def test_precedents_from_a_file(corpus, tmp_path) -> None:
    query = tmp_path / "q.txt"
    query.write_text(CICA_2022)
    assert _precedents("--file", str(query), "--top", "1")[0]["text"] == CICA_2006


OTHER = "1. The Ministers welcomed the progress in trade facilitation and tourism.\n"


def test_the_index_follows_the_library_through_the_task(add_document, run_tasks, forum) -> None:
    add_document(OTHER, title="Other")
    finding.get_index()  # the index exists (built from the library) before the document does
    text = (
        "1. We call for the early conclusion of the comprehensive convention on "
        "international terrorism.\n"
    )
    document = add_document(text, title="Resolution")
    query = "the early conclusion of the comprehensive convention on international terrorism"
    # The reader's process applies the change sequence itself (as any host does), before the
    # worker's task has run.
    assert finding.precedents(forum["secretariat"], query)[0]["document"] == "Resolution"
    run_tasks()
    assert finding.precedents(forum["secretariat"], query)[0]["document"] == "Resolution"
    run_tasks()  # idempotent: running again changes nothing
    assert len(finding.precedents(forum["secretariat"], query)) == 1

    actions.do_change_status(document, "withdrawn", actor=forum["secretariat"])
    run_tasks()
    assert finding.precedents(forum["secretariat"], query, include_drafts=True) == []


def test_a_new_version_replaces_the_old_paragraphs_in_the_finder(
    add_document,
    run_tasks,
    forum,
) -> None:
    add_document(OTHER, title="Other")
    finding.get_index()
    old = "1. Member States shall exchange information on the financing of terrorism.\n"
    new = "1. Member States will cooperate closely on the protection of critical infrastructure.\n"
    document = add_document(old, title="Plan")
    run_tasks()
    actions.do_add_version(
        document,
        actions.read_upload(new.encode(), "v2.txt"),
        comment="rewritten",
        actor=forum["secretariat"],
    )
    run_tasks()
    user = forum["secretariat"]
    assert finding.precedents(user, old[3:]) == []
    assert finding.precedents(user, new[3:])[0]["text"] == new[3:].strip()


def test_reindex_rebuilds_from_the_library(corpus, finder_index) -> None:
    import shutil

    shutil.rmtree(finder_index)
    finding._open.clear()
    out = io.StringIO()
    call_command("archive", "reindex", stdout=out)
    assert "Finder index rebuilt" in out.getvalue()
    assert _precedents("--text", CICA_2022)[0]["text"] == CICA_2006


# --- access ------------------------------------------------------------------------------
ICT_TEXT = (
    "1. The members of the Working Group agreed to exchange national points of contact "
    "for incidents involving critical information infrastructure on a voluntary basis.\n"
)
ICT_QUERY = (
    "exchange national points of contact for incidents involving critical information "
    "infrastructure on a voluntary basis"
)


@pytest.fixture
def ict_document(add_document, run_tasks):
    add_document(OTHER, title="Other", access_level="public")
    document = add_document(
        ICT_TEXT,
        title="ICT-WG conclusions",
        status="adopted",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )
    run_tasks()
    return document


def test_outsiders_never_get_a_body_document_from_the_finder(ict_document, forum) -> None:
    assert finding.precedents(forum["chn"], ICT_QUERY)[0]["document"] == "ICT-WG conclusions"
    for name in ("ind", "isr", "observer"):
        assert finding.precedents(forum[name], ICT_QUERY, include_drafts=True) == []
        assert finding.closest_language(forum[name], ICT_QUERY) == []


def test_finder_page(ict_document, client_for) -> None:
    url = reverse("archive:finder")
    assert "Paste a paragraph" in client_for("ind").get(url).content.decode()
    html = client_for("isr").post(url, {"text": ICT_QUERY}).content.decode()
    assert "No precedent found" in html and "ICT-WG conclusions" not in html
    html = client_for("rus").post(url, {"text": "Members agreed to " + ICT_QUERY}).content.decode()
    assert "ICT-WG conclusions" in html
    assert ("<del" in html and "<ins" in html) or "<del" in html


def test_closest_language_for_the_workspace(corpus, forum) -> None:
    found = finding.closest_language(forum["ind"], CICA_2022)
    assert len(found) == 1
    assert set(found[0]) >= {
        "document",
        "symbol",
        "date",
        "paragraph",
        "score",
        "text",
        "diff",
        "url",
    }
    assert found[0]["text"] == CICA_2006
    assert found[0]["url"].startswith(f"/documents/{found[0]['document_id']}/#p")
    assert finding.closest_language(forum["ind"], "Nothing like this was ever adopted here.") == []


def test_fragments_of_a_body_document_are_not_found_for_outsiders(ict_document, client_for) -> None:
    from secretariat.documents.models import Paragraph

    paragraph = Paragraph.objects.get(document=ict_document)
    urls = [
        reverse("archive:paragraph-precedents", args=[paragraph.pk]),
        reverse("archive:coverage", args=[ict_document.pk]),
    ]
    for url in urls:
        assert client_for("isr").get(url).status_code == 404
        assert client_for("chn").get(url).status_code == 200
