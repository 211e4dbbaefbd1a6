"""Versions: every upload kept and numbered, files byte-identical on download; the page's
access matrix."""

from __future__ import annotations

import hashlib
import io

import docx
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.core.models import AuditEvent
from secretariat.documents import actions
from secretariat.documents.files import FileRejected, storage_name
from secretariat.documents.models import Document, Paragraph, Version

FIRST = "1. The Working Group met in Astana.\n\n2. It agreed on the agenda.\n"
SECOND = "1. The Working Group met in Astana on 3 October.\n\n2. It agreed on the agenda.\n"


def _download(client, document: Document, number: int) -> bytes:
    response = client.get(reverse("documents:download", args=[document.pk, number]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_new_version_keeps_the_old_one_downloadable_and_byte_identical(
    add_document,
    client_for,
    forum,
) -> None:
    document = add_document(FIRST, filename="note-v1.txt", title="Note")
    v2 = actions.do_add_version(
        document,
        actions.read_upload(SECOND.encode(), "note-v2.txt"),
        comment="Date added",
        actor=forum["secretariat"],
    )
    document.refresh_from_db()
    assert v2.number == 2
    assert document.current_version_id == v2.pk
    assert list(document.versions.values_list("number", "comment")) == [
        (2, "Date added"),
        (1, "First version"),
    ]

    client = client_for("chn")
    old, new = _download(client, document, 1), _download(client, document, 2)
    assert old == FIRST.encode() and new == SECOND.encode()
    assert hashlib.sha256(old).hexdigest() == document.versions.get(number=1).sha256
    assert hashlib.sha256(new).hexdigest() == v2.sha256
    # The paragraphs of the page are the current version's.
    current = Paragraph.objects.filter(version=v2).values_list("text", flat=True)
    assert list(current) == [
        "The Working Group met in Astana on 3 October.",
        "It agreed on the agenda.",
    ]
    assert AuditEvent.objects.filter(
        action="document.version", object_id=str(document.pk), actor=forum["secretariat"]
    ).exists()


def test_a_word_file_is_kept_byte_identical_and_its_text_read(add_document, client_for) -> None:
    word = docx.Document()
    word.add_paragraph("1. We welcome the accession of the Kingdom of Thailand.")
    word.add_paragraph("2. We decide to hold the next Summit in 2010.")
    buffer = io.BytesIO()
    word.save(buffer)
    data = buffer.getvalue()
    document = add_document(data, filename="decl.docx")
    assert document.current_version.kind == "docx"
    assert [p.label for p in Paragraph.objects.filter(document=document)] == ["1", "2"]
    assert _download(client_for("ind"), document, 1) == data


def test_versions_are_never_overwritten(add_document) -> None:
    version = add_document(FIRST).current_version
    version.comment = "changed"
    with pytest.raises(PermissionError):
        version.save()


def test_the_same_file_again_creates_no_version(add_document, forum) -> None:
    document = add_document(FIRST)
    with pytest.raises(FileRejected, match="already version 1"):
        actions.do_add_version(
            document,
            actions.read_upload(FIRST.encode(), "again.txt"),
            comment="again",
            actor=forum["secretariat"],
        )
    assert document.versions.count() == 1


def test_a_pdf_that_is_text_is_taken_as_text_and_a_fake_pdf_rejected(add_document) -> None:
    # Judged by content: a ".pdf" holding UTF-8 text is a text file...
    document = add_document(FIRST, filename="looks-like.pdf")
    assert document.current_version.kind == "txt"
    # ...and bytes that are neither PDF, DOCX nor UTF-8 are refused with nothing written.
    junk = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    with pytest.raises(FileRejected, match="Unsupported file type"):
        actions.read_upload(junk, "scan.pdf")
    assert not default_storage.exists(storage_name(hashlib.sha256(junk).hexdigest()))
    zipped = b"PK\x03\x04" + b"\x00" * 40
    with pytest.raises(FileRejected):
        actions.read_upload(zipped, "report.docx")


def test_an_oversized_file_is_rejected_with_nothing_written(
    forum,
    client_for,
    settings,
    add_document,
) -> None:
    document = add_document(FIRST)
    settings.UPLOAD_MAX_BYTES = 100
    big = ("1. " + "word " * 100).encode()
    with pytest.raises(FileRejected, match="too large"):
        actions.read_upload(big, "big.txt")
    response = client_for("secretariat").post(
        reverse("documents:upload-version", args=[document.pk]),
        {"file": SimpleUploadedFile("big.txt", big), "comment": "bigger"},
        follow=True,
    )
    assert "too large" in response.content.decode()
    assert Version.objects.filter(document=document).count() == 1
    assert not default_storage.exists(storage_name(hashlib.sha256(big).hexdigest()))


# --- the HTTP matrix ---------------------------------------------------------------------
@pytest.fixture
def ict_document(add_document, forum):
    from secretariat.accounts.models import Body

    return add_document(
        FIRST,
        title="ICT-WG paper",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
        status="draft",
    )


@pytest.mark.parametrize(
    ("username", "page", "upload"),
    [
        ("ind", 404, 404),  # outsider to the ICT-WG
        ("isr", 404, 404),
        ("observer", 404, 404),
        ("chn", 200, 403),  # member of the body, read-only
        ("rus", 200, 403),
        ("chair", 200, 302),
        ("secretariat", 200, 302),
    ],
)
def test_document_page_matrix(ict_document, client_for, username, page, upload) -> None:
    client = client_for(username)
    detail = reverse("documents:detail", args=[ict_document.pk])
    assert client.get(detail).status_code == page
    assert client.get(reverse("documents:download", args=[ict_document.pk, 1])).status_code == page
    response = client.post(
        reverse("documents:upload-version", args=[ict_document.pk]),
        {"file": SimpleUploadedFile("v2.txt", SECOND.encode()), "comment": "update"},
    )
    assert response.status_code == upload
    assert ict_document.versions.count() == (2 if upload == 302 else 1)


def test_anonymous_visitors_are_sent_to_log_in(ict_document, client) -> None:
    response = client.get(reverse("documents:detail", args=[ict_document.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_viewing_a_restricted_document_is_recorded(ict_document, client_for, forum) -> None:
    client_for("chn").get(reverse("documents:detail", args=[ict_document.pk]))
    assert AuditEvent.objects.filter(
        action="view", actor=forum["chn"], object_id=str(ict_document.pk)
    ).exists()


def test_document_page_shows_metadata_editions_versions_and_paragraphs(
    add_document,
    client_for,
    forum,
) -> None:
    english = add_document(
        FIRST, filename="en.txt", title="Working Group note", symbol="SWG/OI/1262"
    )
    russian = add_document(
        "1. Рабочая группа собралась в Астане.\n",
        filename="ru.txt",
        title="Записка рабочей группы",
        language="ru",
        edition_of=english,
    )
    html = client_for("ind").get(english.get_absolute_url()).content.decode()
    assert "SWG/OI/1262" in html and "Working Group note" in html
    assert f'href="{russian.get_absolute_url()}"' in html
    assert english.current_version.sha256 in html
    assert "The Working Group met in Astana." in html
    assert "Find precedents" in html
    assert "Upload a new version" not in html  # a delegate may read, not upload


def test_library_list_filters_and_never_lists_what_the_user_may_not_see(
    ict_document,
    add_document,
    client_for,
) -> None:
    add_document(FIRST.replace("Astana", "Almaty"), title="Members note", doc_type="report")
    html = client_for("ind").get(reverse("documents:list")).content.decode()
    assert "Members note" in html and "ICT-WG paper" not in html
    assert "1 document" in html
    html = client_for("chn").get(reverse("documents:list")).content.decode()
    assert "ICT-WG paper" in html and "2 documents" in html
    html = client_for("chn").get(reverse("documents:list"), {"doc_type": "report"}).content
    assert b"Members note" in html and b"ICT-WG paper" not in html
