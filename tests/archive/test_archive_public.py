"""The public portal: published public documents with their editions, and an Atom feed;
nothing else of the archive."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secretariat.accounts.models import Body

TEXT = "1. We welcome the accession of the Kingdom of Thailand.\n"


@pytest.fixture
def library(add_document):
    published = add_document(
        TEXT, title="Almaty Declaration", status="published", access_level="public"
    )
    return {
        "published": published,
        "edition": add_document(
            "1. Мы приветствуем присоединение Королевства Таиланд.\n",
            title="Алматинская декларация",
            status="published",
            access_level="public",
            language="ru",
            edition_of=published,
        ),
        "adopted": add_document(
            TEXT.replace("Thailand", "Korea"),
            title="Seoul Statement",
            status="adopted",
            access_level="public",
        ),
        "draft": add_document(
            TEXT.replace("Thailand", "Qatar"),
            title="Public draft",
            status="draft",
            access_level="public",
        ),
        "members": add_document(
            TEXT.replace("Thailand", "Iraq"),
            title="Members text",
            status="published",
            access_level="members",
        ),
        "body": add_document(
            TEXT.replace("Thailand", "Japan"),
            title="ICT-WG text",
            status="published",
            access_level="body",
            body=Body.objects.get(code="ICT-WG"),
        ),
    }


def test_portal_lists_only_public_published_documents_without_login(library, client) -> None:
    html = client.get(reverse("archive:public")).content.decode()
    assert "Almaty Declaration" in html and "Алматинская декларация" in html
    assert "Seoul Statement" in html
    for hidden in ("Public draft", "Members text", "ICT-WG text"):
        assert hidden not in html


def test_public_document_page_shows_text_and_editions(library, client) -> None:
    published, edition = library["published"], library["edition"]
    html = client.get(reverse("archive:public-detail", args=[published.pk])).content.decode()
    assert "We welcome the accession of the Kingdom of Thailand." in html
    assert reverse("archive:public-detail", args=[edition.pk]) in html
    download = client.get(reverse("archive:public-download", args=[published.pk, 1]))
    assert b"".join(download.streaming_content) == TEXT.encode()
    for key in ("draft", "members", "body"):
        pk = library[key].pk
        assert client.get(reverse("archive:public-detail", args=[pk])).status_code == 404
        assert client.get(reverse("archive:public-download", args=[pk, 1])).status_code == 404


def test_feed_lists_new_publications_and_nothing_restricted(library, client) -> None:
    response = client.get(reverse("archive:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in xml
    assert xml.count("<entry xml:lang=") == 3  # each entry says its language
    assert "Almaty Declaration" in xml and "Seoul Statement" in xml
    for hidden in ("Public draft", "Members text", "ICT-WG text"):
        assert hidden not in xml


def test_the_rest_of_the_archive_needs_a_login(library, client) -> None:
    for url in (
        reverse("archive:search") + "?q=accession",
        reverse("archive:finder"),
        reverse("documents:list"),
        library["published"].get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
