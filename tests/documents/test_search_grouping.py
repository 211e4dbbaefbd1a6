"""The search page lists documents, not paragraphs: one circular whose six paragraphs match is
one result with its best paragraphs and a "more from this document" count; the languages of
the hits are counted ("1 document in Russian")."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from secretariat.documents.search import search, search_documents

pytestmark = pytest.mark.django_db

CIRCULAR = "\n\n".join(
    f"{i}. The circular on confidence-building measures, paragraph {i}." for i in range(1, 7)
)


@pytest.fixture
def library(add_document):
    add_document(CIRCULAR, title="Circular on CBMs")
    add_document("1. Confidence-building measures are agreed.", title="Statement")
    add_document(
        "1. Меры доверия (confidence-building measures) приняты.", title="Заявление", language="ru"
    )


def test_one_result_per_document_with_its_best_paragraphs(library, forum) -> None:
    result = search_documents(forum["ind"], "confidence-building", per_document=3)
    titles = [g.document.title for g in result.groups]
    assert sorted(titles) == ["Circular on CBMs", "Statement", "Заявление"]
    assert len(set(titles)) == len(titles)
    circular = next(g for g in result.groups if g.document.title == "Circular on CBMs")
    assert len(circular.hits) == 3 and circular.more == 3
    assert all(h.paragraph.document_id == circular.document.pk for h in circular.hits)
    assert result.total == 8 and result.documents == 3
    # The API's paragraph search is unchanged: the circular's six paragraphs are six hits.
    assert len(search(forum["ind"], "confidence-building", limit=20).hits) == 8


def test_the_languages_of_the_hits_are_counted(library, forum) -> None:
    result = search_documents(forum["ind"], "confidence-building")
    assert dict(result.languages) == {
        "en": "2 documents in English",
        "ru": "1 document in Russian",
    }
    with translation.override("ru"):
        lines = dict(search_documents(forum["ind"], "confidence-building").languages)
    assert lines["ru"] == "1 документ на русском"
    assert lines["en"] == "2 документа на английском"


def test_the_search_page_shows_each_document_once(library, client_for) -> None:
    html = (
        client_for("ind").get(reverse("archive:search"), {"q": "confidence-building"}).content
    ).decode()
    assert html.count("Circular on CBMs</span></a>") == 1
    assert "3 more paragraphs from this document" in html
    assert "1 document in Russian" in html
    assert len(re.findall(r'class="hit hit-group"', html)) == 3
