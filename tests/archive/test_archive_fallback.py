"""The rapidfuzz fallback that keeps the archive up if the finder engine cannot be imported:
slower, but it answers the same questions under the same access policy."""

from __future__ import annotations

import pytest

from secretariat.accounts.models import Body
from secretariat.archive import fallback, finding

CICA_2022 = (
    "Recognising also that terrorism cannot and should not be associated with any "
    "religion, nationality, civilisation or ethnic group"
)
CICA_2006 = (
    "Terrorism can not be and should not be associated with any religion, nationality, "
    "civilization or ethnic group."
)


@pytest.fixture
def on_fallback(monkeypatch):
    for name in ("PRECEDENT_THRESHOLD", "FinderIndex", "build", "diff_words"):
        monkeypatch.setattr(finding, name, getattr(fallback, name))
    finding._open.clear()
    yield
    finding._open.clear()


def test_fallback_finds_the_acceptance_precedent(corpus, forum, on_fallback) -> None:
    results = finding.precedents(forum["ind"], CICA_2022, k=5)
    assert CICA_2006 in [r["text"] for r in results[:3]]
    assert all(0 <= r["score"] <= 1 for r in results)
    assert finding.precedents(forum["ind"], "Banana bread recipes for a spring picnic.") == []


def test_fallback_annotates_and_respects_access(add_document, forum, on_fallback) -> None:
    text = (
        "1. The members of the Working Group agreed to exchange national points of contact "
        "for incidents involving critical information infrastructure.\n"
    )
    add_document(text, title="ICT", access_level="body", body=Body.objects.get(code="ICT-WG"))
    draft = "We agreed to exchange national points of contact for incidents involving all."
    assert finding.annotate(forum["chn"], draft)[0]["coverage"] > 0.5
    assert finding.annotate(forum["isr"], draft)[0]["sources"] == []
    assert finding.precedents(forum["isr"], text[3:]) == []
    assert finding.precedents(forum["chn"], text[3:])[0]["document"] == "ICT"
