"""Uploaded files: type judged by content (never by name), size limit, text extraction, and
content-addressed storage so a stored file is never overwritten."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _


class FileRejected(ValueError):
    """The file is not one the library takes; the message says why, for the user."""


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "txt" | "docx" | "pdf"
    content_type: str


KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
}


def sniff(data: bytes) -> Sniffed:
    """What the bytes are: PDF by its magic, DOCX by its zip member, text if valid UTF-8."""
    limit = settings.UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise FileRejected(
            _("The file is too large (%(size)d bytes; the limit is %(limit)d bytes).")
            % {"size": len(data), "limit": limit}
        )
    if not data:
        raise FileRejected(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        return Sniffed("pdf", KINDS["pdf"])
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return Sniffed("docx", KINDS["docx"])
        except zipfile.BadZipFile:
            pass
        raise FileRejected(_("This archive is not a Word document (.docx)."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRejected(
            _("Unsupported file type: only PDF, Word (.docx) and UTF-8 text files are accepted.")
        ) from None
    if "\x00" in text:
        raise FileRejected(_("Unsupported file type: the file holds binary data."))
    return Sniffed("txt", KINDS["txt"])


def extract_text(kind: str, data: bytes) -> str:
    """The file's text; FileRejected when a file that looked right cannot be read."""
    try:
        if kind == "txt":
            return data.decode("utf-8").lstrip("\ufeff")
        if kind == "docx":
            import docx

            document = docx.Document(io.BytesIO(data))
            return "\n\n".join(p.text for p in document.paragraphs)
        if kind == "pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data))
            return "\n".join(page.extract_text() or "" for page in reader.pages)
    except FileRejected:
        raise
    except Exception as exc:  # a broken file of any kind: reported, never half-imported
        raise FileRejected(_("The file could not be read: %(error)s") % {"error": exc}) from exc
    raise FileRejected(_("Unsupported file type."))


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def storage_name(sha256: str) -> str:
    return f"library/{sha256[:2]}/{sha256}"


def store(data: bytes, sha256: str) -> str:
    """Save the bytes under their checksum; an existing file (same bytes) is left as it is."""
    name = storage_name(sha256)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return name
