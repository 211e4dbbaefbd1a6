"""Uploaded files: type judged by content (never by name), size limit, text extraction, and
content-addressed storage so a stored file is never overwritten."""

from __future__ import annotations

import errno
import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from secretariat.core.uploads import UploadRefused, check_zip


class FileRejected(ValueError):
    """The file is not one the library takes; the message says why, for the user."""


class StorageFull(FileRejected):
    """The file storage has no room (or quota) left: nothing of the file was kept."""


# What a full disk, an exhausted quota or a file-size limit look like to a writer.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _pdf_text(data: bytes) -> str:
    """A PDF's text, with pypdf's decompression limits (pypdf >= 7) tied to ours: no stream
    may unpack to more than UPLOAD_MAX_UNPACKED_BYTES."""
    from pypdf import PdfReader, apply_configuration

    limit = int(settings.UPLOAD_MAX_UNPACKED_BYTES)
    with apply_configuration(
        maximum_declared_stream_length=limit,
        array_based_stream_maximum_output_length=limit,
        jbig2_maximum_output_length=limit,
        lzw_maximum_output_length=limit,
        run_length_maximum_output_length=limit,
        zlib_maximum_output_length=limit,
    ):
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)


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
                check_zip(archive)  # a zip bomb is refused by its directory, before unpacking
                if "word/document.xml" in archive.namelist():
                    return Sniffed("docx", KINDS["docx"])
        except UploadRefused as exc:
            raise FileRejected(str(exc)) from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
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

            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                check_zip(archive)
            document = docx.Document(io.BytesIO(data))
            return "\n\n".join(p.text for p in document.paragraphs)
        if kind == "pdf":
            return _pdf_text(data)
    except FileRejected:
        raise
    except UploadRefused as exc:
        raise FileRejected(str(exc)) from None
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
        try:
            saved = default_storage.save(name, ContentFile(data))
        except OSError as exc:
            if exc.errno not in FULL_ERRNOS:
                raise
            # The storage left nothing behind (core.storage writes to a temporary file); the
            # caller's transaction rolls back, so no version points at a missing file.
            raise StorageFull(
                _("The server has no room left to store this file; nothing was saved. ")
                + _("Please tell the secretariat.")
            ) from exc
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return name
