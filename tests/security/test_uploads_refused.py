"""Issue 9 item 4: uploads and imports that are refused with a message, never a 500, and
never unpacked or read whole before they are judged."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from secretariat.documents.models import Document
from secretariat.negotiation.models import Negotiation

MB = 1024 * 1024


def zip_bomb(unpacked_mb: int = 200, *, docx: bool = True) -> bytes:
    """A DOCX-shaped zip whose document.xml unpacks to `unpacked_mb` MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml" if docx else "payload.bin", "w") as member:
            block = b"\0" * MB
            for _ in range(unpacked_mb):
                member.write(block)
    return buf.getvalue()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    return buf.getvalue()


def _import(client, forum, name: str, data: bytes):
    from secretariat.accounts.models import Body

    return client.post(
        "/negotiations/import/",
        {
            "title": "Draft",
            "body": Body.objects.first().pk,
            "file": SimpleUploadedFile(name, data),
        },
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("bomb.docx", zip_bomb(), "unpacks to"),
        ("archive.docx", plain_zip(), "not a Word document"),
        ("broken.docx", b"PK\x03\x04" + b"\x17" * 4000, "could not be read"),
        ("binary.txt", bytes(range(256)) * 64, "not text"),
    ],
    ids=["bomb", "zip-without-document", "malformed-docx", "binary-as-txt"],
)
def test_it_refuses_a_bad_negotiation_import_with_a_message(
    client_for, forum, name, data, message
) -> None:
    response = _import(client_for("secretariat"), forum, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Negotiation.objects.exists()


def test_it_still_imports_a_cp1251_text_draft(client_for, forum) -> None:
    text = "1. Государства-члены [призывают/CHN] к сотрудничеству.\n"
    response = _import(client_for("secretariat"), forum, "draft.txt", text.encode("cp1251"))
    assert response.status_code == 302, response.content.decode()[-800:]
    assert "сотрудничеству" in Negotiation.objects.get().source_text


def test_it_refuses_an_import_past_its_size_limit(client_for, forum, settings) -> None:
    settings.NEGOTIATION_IMPORT_MAX_BYTES = 1000
    response = _import(client_for("secretariat"), forum, "big.txt", b"word " * 1000)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Negotiation.objects.exists()


def _new_document(client, name: str, data: bytes):
    return client.post(
        "/documents/new/",
        {
            "file": SimpleUploadedFile(name, data),
            "title": "A file",
            "doc_type": "other",
            "status": "draft",
            "organization": "CICA",
            "language": "en",
            "access_level": "members",
        },
    )


def test_the_library_refuses_a_docx_bomb_before_unpacking_it(client_for) -> None:
    response = _new_document(client_for("secretariat"), "bomb.docx", zip_bomb())
    assert response.status_code == 400  # refused, the form shown again
    assert "unpacks to" in response.content.decode()
    assert not Document.objects.exists()


def test_the_library_refuses_a_file_past_the_limit_while_receiving_it(client_for, settings) -> None:
    settings.UPLOAD_MAX_BYTES = 64 * 1024
    response = _new_document(client_for("secretariat"), "big.txt", b"word " * 100_000)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Document.objects.exists()


def test_a_very_long_file_name_gets_a_message_not_a_bare_400(client_for) -> None:
    # Built by hand: Django's test client would shorten the name to 255 characters itself.
    boundary = "XyZboundary"
    fields = {
        "title": "A file",
        "doc_type": "other",
        "status": "draft",
        "organization": "CICA",
        "language": "en",
        "access_level": "members",
    }
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    name = "a" * 1000 + ".txt"
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: text/plain\r\n\r\nSome text.\n\r\n"
    )
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    response = client_for("secretariat").generic(
        "POST", "/documents/new/", body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert not Document.objects.exists()
    assert response.status_code == 400
    assert "file name" in response.content.decode().lower()
