"""Search and finder across language editions: a Russian (or Kazakh) query finds Russian
paragraphs and offers the aligned English paragraph, an English hit shows its aligned Russian
and Kazakh, on the library's search page, the finder page and their API endpoints; an edition
is shown only to readers who may see its document."""

from __future__ import annotations

import pytest
from django.urls import reverse

import almaty
from secretariat.archive import finding
from secretariat.core.audit import flush_views
from secretariat.core.models import AuditEvent
from secretariat.documents.models import Paragraph
from secretariat.documents.search import search, search_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions(forum):
    return almaty.library_editions(forum)


def _hit(result, document):
    return next(h for g in result.groups if g.document == document for h in g.hits)


def test_a_russian_query_offers_the_aligned_english_paragraph(forum, editions):
    en, ru, _kk = editions
    result = search_documents(forum["ind"], "терроризм", editions=True)
    hit = _hit(result, ru)
    assert "терроризм" in hit.paragraph.text
    (aligned,) = hit.editions  # the Kazakh edition is the secretariat's only
    assert aligned["language"] == "en" and aligned["document_id"] == en.pk
    assert aligned["text"].startswith("Reiterate that terrorism")
    assert 0.0 < aligned["confidence"] <= 1.0
    # without asking for them, hits carry none (the alignment is not paid for)
    assert _hit(search_documents(forum["ind"], "терроризм"), ru).editions == []


def test_an_english_hit_shows_its_russian_and_kazakh_to_who_may_see_them(forum, editions):
    en, _ru, _kk = editions
    officer = search(forum["secretariat"], "Istanbul", editions=True)
    hit = next(h for h in officer.hits if h.paragraph.document_id == en.pk)
    by_language = {e["language"]: e["text"] for e in hit.editions}
    assert set(by_language) == {"ru", "kk"}
    assert "Стамбуле" in by_language["ru"] and "Ыстамбұлда" in by_language["kk"]
    delegate = search(forum["ind"], "Istanbul", editions=True)
    hit = next(h for h in delegate.hits if h.paragraph.document_id == en.pk)
    assert [e["language"] for e in hit.editions] == ["ru"]


def test_a_kazakh_query_finds_the_kazakh_paragraph_and_its_english(forum, editions):
    _en, _ru, kk = editions
    hit = _hit(search_documents(forum["secretariat"], "Ыстамбұлда", editions=True), kk)
    assert {e["language"] for e in hit.editions} == {"en", "ru"}
    assert any("Istanbul" in e["text"] for e in hit.editions)


def test_the_search_page_shows_the_aligned_edition(forum, editions, client_for):
    page = client_for("ind").get(reverse("archive:search"), {"q": "терроризм"}).content.decode()
    assert "In the English edition:" in page
    assert "Reiterate that terrorism cannot" in page
    assert "Алматы декларациясы" not in page


def test_the_finder_page_and_api_show_the_aligned_edition(forum, editions, client_for, monkeypatch):
    from secretariat.api.tokens import do_create_token

    en, ru, _kk = editions
    p = Paragraph.objects.get(version=ru.current_version, text__contains="терроризм")
    found = {
        **finding._describe(p),
        "score": 0.97,
        "is_precedent": True,
        "diff": [],
    }
    monkeypatch.setattr(finding, "precedents", lambda *a, **k: [dict(found)])
    page = client_for("ind").post(reverse("archive:finder"), {"text": p.text}).content.decode()
    assert "In the English edition:" in page and "Reiterate that terrorism" in page
    token = do_create_token(forum["ind"], name="t", scope="read", days=1, actor=None).secret
    headers = {"Authorization": f"Bearer {token}"}
    client = client_for(None)
    data = client.get("/api/v1/finder", {"text": p.text}, headers=headers).json()
    (result,) = data["results"]
    assert [e["language"] for e in result["editions"]] == ["en"]
    assert result["editions"][0]["text"].startswith("Reiterate that")
    # the English edition's text was shown: its read is recorded (members' content)
    flush_views()
    assert AuditEvent.objects.filter(
        action="view", object_id=str(en.pk), detail__page="api.finder"
    ).exists()
    hits = client.get("/api/v1/search", {"q": "терроризм"}, headers=headers).json()["items"]
    ru_hit = next(h for h in hits if h["document_id"] == ru.pk)
    assert [e["language"] for e in ru_hit["editions"]] == ["en"]
    assert ru_hit["editions"][0]["document_id"] == en.pk


def test_which_documents_have_other_editions_is_asked_once_per_page(forum, editions, monkeypatch):
    """Two query-costing lookups for the whole page, not two more per document with editions
    (each of the three Almaty editions is a hit group here)."""
    from secretariat.documents import search as search_module

    calls = []
    real = search_module.with_other_editions

    def counting(document_ids):
        calls.append(list(document_ids))
        return real(calls[-1])

    monkeypatch.setattr(search_module, "with_other_editions", counting)
    result = search_documents(forum["secretariat"], "2010", editions=True)
    assert len(result.groups) == 3
    assert all(h.editions for g in result.groups for h in g.hits)
    assert len(calls) == 1
    calls.clear()
    search(forum["secretariat"], "2010", editions=True)
    assert len(calls) == 1


def _viewed(page: str) -> set[int]:
    flush_views()
    return {
        int(pk)
        for pk in AuditEvent.objects.filter(action="view", detail__page=page).values_list(
            "object_id", flat=True
        )
    }


def test_the_search_and_finder_pages_record_the_restricted_words_they_show(
    forum, editions, client_for, monkeypatch
):
    """As the API does: the hit's document and its aligned edition are members' content, so
    their reads are recorded; the Kazakh edition the delegate cannot see is not shown, nor
    recorded."""
    en, ru, kk = editions
    assert en.access_level != "public" and ru.access_level != "public"
    ind = client_for("ind")
    ind.get(reverse("archive:search"), {"q": "терроризм"})
    assert _viewed("search") == {ru.pk, en.pk}
    p = Paragraph.objects.get(version=ru.current_version, text__contains="терроризм")
    found = {**finding._describe(p), "score": 0.97, "is_precedent": True, "diff": []}
    monkeypatch.setattr(finding, "precedents", lambda *a, **k: [dict(found)])
    ind.post(reverse("archive:finder"), {"text": p.text})
    assert _viewed("finder") == {ru.pk, en.pk}
    events = AuditEvent.objects.filter(action="view", detail__page="finder")
    assert {e.actor_id for e in events} == {forum["ind"].pk}
    assert kk.pk not in _viewed("search") | _viewed("finder")
