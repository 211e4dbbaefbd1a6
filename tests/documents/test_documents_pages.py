"""Registering documents and editions through the pages, and changing their status."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.core.models import AuditEvent
from secretariat.documents.models import Document

TEXT = b"1. We welcome the accession of the Kingdom of Thailand.\n"


def _form(**extra) -> dict:
    data = {
        "file": SimpleUploadedFile("decl.txt", TEXT),
        "title": "Almaty Declaration",
        "symbol": "CICA/S/2006",
        "doc_type": "declaration",
        "status": "adopted",
        "date": "2006-06-17",
        "organization": "CICA",
        "language": "en",
        "access_level": "members",
        "body": "",
    }
    data.update(extra)
    return data


def test_secretariat_registers_a_document_and_its_russian_edition(client_for, finder_index) -> None:
    client = client_for("secretariat")
    response = client.post(reverse("documents:new"), _form())
    english = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == english.get_absolute_url()
    assert english.current_version.filename == "decl.txt"
    assert AuditEvent.objects.filter(action="document.create", object_id=str(english.pk)).exists()

    russian_file = SimpleUploadedFile("ru.txt", "1. Мы приветствуем Таиланд.\n".encode())
    client.post(
        reverse("documents:new") + f"?edition_of={english.pk}",
        _form(
            file=russian_file, language="ru", title="Алматинская декларация", edition_of=english.pk
        ),
    )
    russian = Document.objects.get(language="ru")
    assert russian.translation_key == english.translation_key
    # A second English edition of the same text is refused on the form.
    again = SimpleUploadedFile("en2.txt", b"1. Other text of the same declaration.\n")
    response = client.post(reverse("documents:new"), _form(file=again, edition_of=english.pk))
    assert "already has an edition in that language" in response.content.decode()
    assert Document.objects.count() == 2


def test_observers_may_not_register_documents(client_for, finder_index) -> None:
    # (delegations register their own papers: tests/documents/test_delegation_papers.py)
    assert client_for("observer").get(reverse("documents:new")).status_code == 403
    assert client_for("observer").post(reverse("documents:new"), _form()).status_code == 403
    assert not Document.objects.exists()


def test_a_body_document_needs_its_body(client_for, finder_index) -> None:
    response = client_for("secretariat").post(reverse("documents:new"), _form(access_level="body"))
    assert "Choose the body" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_of_the_wrong_type_is_refused_on_the_form(client_for, finder_index) -> None:
    junk = SimpleUploadedFile("decl.pdf", b"\x00\x01\x02binary")
    response = client_for("secretariat").post(reverse("documents:new"), _form(file=junk))
    assert "Unsupported file type" in response.content.decode()
    assert not Document.objects.exists()


def test_status_change_is_audited_and_refused_to_readers(add_document, client_for, forum) -> None:
    document = add_document(TEXT, status="approved")
    url = reverse("documents:status", args=[document.pk])
    assert client_for("ind").post(url, {"status": "adopted"}).status_code == 403
    client_for("secretariat").post(url, {"status": "published"})
    document.refresh_from_db()
    assert document.status == "published"
    event = AuditEvent.objects.get(action="document.status")
    assert event.detail == {"old": "approved", "new": "published"}


def test_list_and_search_pages_do_not_query_per_document(
    add_document,
    client_for,
    django_assert_max_num_queries,
) -> None:
    for i in range(12):
        add_document(
            f"{i + 1}. Paragraph about terrorism number {i}.\n".encode(),
            filename=f"d{i}.txt",
            title=f"Doc {i}",
        )
    client = client_for("ind")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("documents:list")).status_code == 200
    # which hits' documents have other editions (2) + the forum's register, once a request (1)
    # + the reads of the members' documents shown, recorded in one insert (1)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("archive:search"), {"q": "terrorism"})
    assert "12 documents" in response.content.decode()
