"""The search facets are cached under the library's change stamp and the SQL of the reader's
filtered hits: a change of the library shows at once, readers with different access never
share counts, and each language gets its own labels."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from secretariat.accounts.models import Body
from secretariat.archive import finding
from secretariat.documents import actions
from secretariat.documents.search import search

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers(add_document):
    add_document(
        "1. We condemn terrorism in all its forms.\n",
        title="Public declaration",
        doc_type="declaration",
        access_level="public",
    )
    return add_document(
        "1. Secret terrorism consultations of the working group.\n",
        title="Group paper",
        doc_type="report",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )


def _facets(user, text: str = "terrorism") -> dict[str, dict[str, int]]:
    result = search(user, text, {}, stamp=finding.change_stamp())
    return {k: {v: n for v, _, n in values} for k, values in result.facets.items()}


def test_a_hit_skips_the_counting_and_a_change_shows_at_once(papers, add_document, forum):
    ind = forum["ind"]
    with CaptureQueriesContext(connection) as cold:
        first = _facets(ind)
    with CaptureQueriesContext(connection) as warm:
        assert _facets(ind) == first

    def grouped(ctx: CaptureQueriesContext) -> int:
        return sum("GROUP BY" in q["sql"] for q in ctx.captured_queries)

    assert grouped(cold) == 6 and grouped(warm) == 0  # the six facet counts
    assert first["doc_type"] == {"declaration": 1}
    add_document(
        "1. Terrorism has no religion.\n", title="New one", doc_type="statement", filename="n.txt"
    )
    assert _facets(ind)["doc_type"] == {"declaration": 1, "statement": 1}
    declaration = search(ind, "condemn", {}).hits[0].document
    actions.do_change_status(declaration, "withdrawn", actor=forum["secretariat"])
    assert _facets(ind)["status"].get("withdrawn") == 1


def test_readers_with_different_access_never_share_counts(papers, forum):
    member, outsider = forum["chn"], forum["ind"]  # China sits in the ICT working group
    assert _facets(member)["body"] == {"ICT-WG": 1}
    assert _facets(outsider)["body"] == {}
    assert _facets(outsider)["doc_type"] == {"declaration": 1}
    assert _facets(member)["doc_type"] == {"declaration": 1, "report": 1}


def test_each_language_gets_its_own_labels(papers, forum):
    def labels() -> set[str]:
        result = search(forum["chn"], "terrorism", {}, stamp=finding.change_stamp())
        return {label for _, label, _ in result.facets["doc_type"]}

    english = labels()
    with translation.override("ru"):
        russian = labels()
    assert english and russian and english.isdisjoint(russian)


def test_the_search_page_uses_the_cache(papers, client_for):
    ind = client_for("ind")
    url = reverse("archive:search") + "?q=terrorism"
    with CaptureQueriesContext(connection) as cold:
        assert "Public declaration" in ind.get(url).content.decode()
    with CaptureQueriesContext(connection) as warm:
        assert "Public declaration" in ind.get(url).content.decode()
    assert len(warm) < len(cold)


def test_a_filter_that_matches_nothing_still_answers(forum, client_for) -> None:
    """The year filter's "no calendar year" is an empty condition, which has no SQL to key the
    cached facets by: the page answers with no hit (it was a 500)."""
    response = client_for("ind").get(reverse("archive:search") + "?q=cooperation&year=0")
    assert response.status_code == 200
