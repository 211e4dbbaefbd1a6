"""Draft annotation: per paragraph, the share of words in runs of six or more words from
adopted texts, and the sources."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from secretariat.accounts.models import Body
from secretariat.archive import finding

CORPUS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "demo" / "corpus"

DRAFT = """\
PP1 Recognising also that terrorism cannot and should not be associated with any religion, \
nationality, civilisation or ethnic group,

PP2 Welcoming the progress of the Working Group on the mapping of tourism routes along the \
ancient Silk Road,
"""


def test_annotate_command_gives_coverage_and_sources_per_paragraph(corpus, tmp_path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    out = io.StringIO()
    call_command("archive", "annotate", str(draft), "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["paragraph"] for r in rows] == [1, 2]
    first, second = rows
    assert set(first) == {"paragraph", "coverage", "sources"}
    # "should not be associated with any religion, nationality, civilisation or ethnic group"
    assert 0.5 < first["coverage"] < 1.0
    assert first["sources"][0]["source"] == "cica-2006-almaty-summit-declaration.txt"
    assert first["sources"][0]["date"] == "2006-06-17"
    assert second["coverage"] == 0.0 and second["sources"] == []


def test_only_adopted_texts_count_as_sources(corpus, forum) -> None:
    # The circular is a draft: its own words do not count as agreed language.
    circular = (CORPUS / "cica-2022-swg-circular-drafts.txt").read_text()
    paragraph = next(
        line
        for line in circular.splitlines()
        if "Special Working Group (SWG) at its meeting in Astana" in line
    )
    rows = finding.annotate(forum["secretariat"], paragraph)
    assert rows[0]["coverage"] == 0.0


ICT = (
    "1. The members of the Working Group agreed to exchange national points of contact for "
    "incidents involving critical information infrastructure on a voluntary basis.\n"
)


def test_outsider_gets_no_annotation_source_from_a_body_document(
    add_document,
    run_tasks,
    forum,
) -> None:
    add_document("1. The Ministers welcomed the progress in trade and tourism.\n", title="Other")
    add_document(
        ICT,
        title="ICT-WG conclusions",
        status="adopted",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )
    run_tasks()
    draft = (
        "We agreed to exchange national points of contact for incidents involving critical "
        "information infrastructure."
    )
    inside = finding.annotate(forum["rus"], draft)[0]
    assert inside["coverage"] > 0.5
    assert [s["document"] for s in inside["sources"]] == ["ICT-WG conclusions"]
    for name in ("ind", "isr", "observer"):
        outside = finding.annotate(forum[name], draft)[0]
        assert outside["coverage"] == 0.0 and outside["sources"] == []


def test_document_page_coverage_fragment(corpus, client_for) -> None:
    circular = corpus["cica-2022-swg-circular-drafts.txt"]
    html = client_for("ind").get(reverse("archive:coverage", args=[circular.pk])).content.decode()
    assert "Agreed-language coverage" in html
    assert "Terrorism can not be" not in html  # sources are named, not quoted
    assert f"/documents/{corpus['cica-2006-almaty-summit-declaration.txt'].pk}/#p" in html


def test_paragraph_precedents_fragment(corpus, client_for) -> None:
    from secretariat.documents.models import Paragraph

    circular = corpus["cica-2022-swg-circular-drafts.txt"]
    paragraph = Paragraph.objects.get(
        version=circular.current_version, text__startswith="Recognising also that terrorism"
    )
    html = (
        client_for("ind")
        .get(reverse("archive:paragraph-precedents", args=[paragraph.pk]))
        .content.decode()
    )
    assert "DECLARATION of the Second Summit" in html and "2006-06-17" in html
    assert "associated with any religion" in html
    assert "<del" in html
