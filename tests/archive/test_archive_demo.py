"""The demo library: the corpus as a living archive, loaded idempotently."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from secretariat.archive import finding
from secretariat.archive.dashboard import whats_new
from secretariat.documents.models import Document, Version


@pytest.fixture
def demo(forum, finder_index):
    from secretariat.archive.demo import load_demo

    load_demo(io.StringIO())
    return {d.title: d for d in Document.objects.all()}


@pytest.mark.slow
def test_demo_library_is_complete_and_loading_it_again_changes_nothing(demo) -> None:
    from secretariat.archive.demo import load_demo

    circular = next(d for d in demo.values() if d.symbol == "SWG/OI/1262")
    assert (circular.status, circular.access_level, circular.body.code) == (
        "under_negotiation",
        "members",
        "SWG",
    )
    declarations = Document.objects.filter(
        doc_type="declaration", access_level="public", status="published"
    )
    assert set(declarations.values_list("organization", flat=True)) == {"ASEM", "CICA"}
    assert set(Document.objects.values_list("organization", flat=True)) >= {
        "ASEM",
        "CICA",
        "QUAD",
        "ASEAN",
        "US-India",
        "UN",
    }
    assert set(Document.objects.filter(organization="UN").values_list("status", flat=True)) == {
        "draft"
    }
    english = Document.objects.get(access_level="body", language="en")
    russian = Document.objects.get(access_level="body", language="ru")
    assert english.body.code == "ICT-WG" and english.translation_key == russian.translation_key

    counts = (Document.objects.count(), Version.objects.count())
    out = io.StringIO()
    load_demo(out)
    assert (Document.objects.count(), Version.objects.count()) == counts
    assert "imported" not in out.getvalue()


@pytest.mark.slow
def test_demo_archive_answers_a_new_user(demo, forum, client_for) -> None:
    found = finding.closest_language(
        forum["ind"], "terrorism cannot and should not be associated with any religion"
    )
    assert found and found[0]["date"] == "2006-06-17"
    html = client_for("ind").get(reverse("documents:list")).content.decode()
    assert "Helsinki Declaration on the Future of ASEM" in html
    assert "ICT-WG non-paper" not in html
    assert "ICT-WG non-paper" in client_for("chn").get(reverse("documents:list")).content.decode()
    html = client_for("ind").get(reverse("archive:search"), {"q": "Хатшылығы"}).content.decode()
    assert "SWG/OI/1262" in html


@pytest.mark.slow
def test_dashboard_block_lists_only_visible_documents(demo, forum, client_for) -> None:
    from secretariat.documents import actions

    ict = Document.objects.get(access_level="body", language="en")
    actions.do_change_status(ict, "agreed_ad_ref", actor=forum["secretariat"])  # most recent
    outsider = [i["text"] for block in whats_new(forum["isr"]) for i in block["items"]]
    member = [i["text"] for block in whats_new(forum["chn"]) for i in block["items"]]
    assert str(ict) in member and str(ict) not in outsider
    assert outsider  # the outsider still sees the rest
    html = client_for("isr").get(reverse("dashboard")).content.decode()
    assert "ICT-WG non-paper" not in html
