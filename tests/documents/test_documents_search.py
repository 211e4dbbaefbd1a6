"""Full-text search: stems, phrases, prefixes, every script, facets, and the access policy."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from secretariat.accounts.models import Body
from secretariat.documents import actions
from secretariat.documents.search import search

CIRCULAR_RU = (
    "1. Секретариат Совещания по взаимодействию и мерам доверия в Азии свидетельствует свое "
    "уважение государствам-членам и имеет честь препроводить следующие документы.\n"
)
CIRCULAR_KK = (
    "1. Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің Хатшылығы мүше мемлекеттеріне "
    "өзінің зор ілтипатын білдіреді.\n"
)
DECLARATION = (
    "1. Terrorism can not be and should not be associated with any religion, nationality, "
    "civilization or ethnic group.\n\n"
    "2. We condemn all acts of terrorism as criminal and unjustifiable.\n"
)


@pytest.fixture
def library(add_document, forum):
    ict = Body.objects.get(code="ICT-WG")
    return {
        "declaration": add_document(
            DECLARATION,
            title="Almaty Declaration",
            doc_type="declaration",
            organization="CICA",
            day=date(2006, 6, 17),
            access_level="public",
        ),
        "ru": add_document(
            CIRCULAR_RU,
            title="Циркулярная нота",
            language="ru",
            status="under_negotiation",
            organization="CICA",
        ),
        "kk": add_document(CIRCULAR_KK, title="Нота", language="kk", organization="CICA"),
        "asem": add_document(
            "3. We reject any attempt to associate terrorism with any religion.\n",
            title="Copenhagen Declaration",
            organization="ASEM",
            doc_type="declaration",
        ),
        "ict": add_document(
            "1. Secret terrorism consultations of the ICT Working Group.\n",
            title="ICT-WG paper",
            access_level="body",
            body=ict,
            organization="CICA",
            doc_type="report",
        ),
    }


def _titles(user, query: str, **filters) -> list[str]:
    return [h.document.title for h in search(user, query, filters).hits]


def test_english_words_match_by_stem(library, forum) -> None:
    titles = _titles(forum["chn"], "associating religions")
    assert set(titles) == {"Almaty Declaration", "Copenhagen Declaration"}
    assert _titles(forum["chn"], "condemned acts") == ["Almaty Declaration"]


def test_phrase_needs_the_words_together(library, forum) -> None:
    assert _titles(forum["chn"], '"ethnic group"') == ["Almaty Declaration"]
    assert _titles(forum["chn"], '"group ethnic"') == []


def test_prefix(library, forum) -> None:
    assert set(_titles(forum["chn"], "nationa*")) == {"Almaty Declaration"}
    assert set(_titles(forum["chn"], "terroris*")) == {
        "Almaty Declaration",
        "Copenhagen Declaration",
        "ICT-WG paper",
    }


def test_russian_word_of_the_circular_is_found_in_other_forms(library, forum) -> None:
    assert _titles(forum["chn"], "препроводить") == ["Циркулярная нота"]
    assert _titles(forum["chn"], "документов") == ["Циркулярная нота"]  # stemmed
    assert _titles(forum["chn"], "СЕКРЕТАРИАТ") == ["Циркулярная нота"]


def test_kazakh_word_is_found(library, forum) -> None:
    assert _titles(forum["chn"], "Хатшылығы") == ["Нота"]
    assert _titles(forum["chn"], "ілтипатын") == ["Нота"]


def test_snippets_mark_the_matched_words(library, forum) -> None:
    hit = search(forum["chn"], "religion").hits[0]
    assert "<mark>religion</mark>" in hit.snippet


def test_facets_count_documents_of_the_hits(library, forum) -> None:
    result = search(forum["secretariat"], "terrorism")
    facets = {k: {v: n for v, _, n in values} for k, values in result.facets.items()}
    assert facets["organization"] == {"CICA": 2, "ASEM": 1}
    assert facets["doc_type"] == {"declaration": 2, "report": 1}
    assert facets["body"] == {"ICT-WG": 1}
    assert facets["year"] == {"2006": 1}
    filtered = search(forum["secretariat"], "terrorism", {"organization": "ASEM"})
    assert [h.document.title for h in filtered.hits] == ["Copenhagen Declaration"]
    assert {v for v, _, _ in filtered.facets["organization"]} == {"ASEM"}


def test_outsider_never_sees_a_body_document_in_hits_counts_or_facets(library, forum) -> None:
    for name in ("ind", "isr", "observer"):
        result = search(forum[name], "terrorism")
        assert "ICT-WG paper" not in [h.document.title for h in result.hits]
        assert "ICT-WG" not in [v for v, _, _ in result.facets["body"]]
        assert sum(n for _, _, n in result.facets["organization"]) == result.documents
    assert search(forum["ind"], "terrorism").documents == 2
    assert search(forum["observer"], "terrorism").documents == 1  # public only
    assert search(forum["ind"], "consultations").total == 0
    assert search(forum["chn"], "consultations").total == 1  # a member of the ICT-WG


def test_search_page_renders_hits_facets_and_hides_the_rest(library, client_for) -> None:
    html = client_for("isr").get(reverse("archive:search"), {"q": "terrorism"}).content.decode()
    assert "Almaty Declaration" in html and "<mark>" in html
    assert "2 documents" in html
    assert "ICT-WG" not in html
    html = client_for("chn").get(reverse("archive:search"), {"q": "terrorism"}).content.decode()
    assert "ICT-WG paper" in html and "3 documents" in html


def test_only_the_current_version_is_searched(library, forum) -> None:
    document = library["asem"]
    actions.do_add_version(
        document,
        actions.read_upload(b"3. We reject any attempt to link terror to faith.\n", "v2.txt"),
        comment="new wording",
        actor=forum["secretariat"],
    )
    assert _titles(forum["chn"], "religion") == ["Almaty Declaration"]
    assert _titles(forum["chn"], "faith") == ["Copenhagen Declaration"]


def test_chinese_characters_and_compound_words_are_searched_as_phrases(add_document, forum) -> None:
    add_document("1. 亚信成员国在信息通信技术安全领域开展合作。\n", title="ZH", language="zh")
    add_document("1. Confidence-building measures in Asia.\n", title="CBM")
    add_document("1. Measures building confidence in Asia.\n", title="Reversed")
    assert _titles(forum["chn"], "技术安全") == ["ZH"]
    assert _titles(forum["chn"], "安全技术") == []
    assert _titles(forum["chn"], "confidence-building") == ["CBM"]
    assert set(_titles(forum["chn"], "building confidence")) == {"CBM", "Reversed"}
