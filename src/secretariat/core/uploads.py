"""Uploads that cannot take the web process down.

`LimitedUploadHandler` is the first of `FILE_UPLOAD_HANDLERS`. It passes each chunk on to
Django's memory/temporary-file handlers (so a large file goes to disk, never whole into memory)
and counts: past `UPLOAD_MAX_BYTES` it stops passing chunks on, and what the view receives for
that field is a `RefusedUpload` (no content, the size received, the reason). The rest of the
refused file is read from the connection and dropped, so a 300 MB upload costs network time,
not memory. `UploadField` turns a RefusedUpload into an ordinary form error.

`check_zip` judges an archive (a DOCX) by its directory before anything is unpacked: member
count, declared sizes and ratios; `read_zip_member` unpacks one member while counting, so a
member that lies about its size is caught too.
"""

from __future__ import annotations

import io
import zipfile
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.utils.translation import gettext as _

NAME_MAX = 255  # what file systems and our columns take
ZIP_MEMBERS_MAX = 2_000


class UploadRefused(ValueError):
    """The upload (or the archive in it) is refused; the message says why, for the user."""


class RefusedUpload(UploadedFile):
    """What a form receives for a file the handler refused while reading it."""

    def __init__(self, name: str, size: int, reason: str) -> None:
        super().__init__(io.BytesIO(b""), name=name[-NAME_MAX:] or "upload", size=size)
        self.reason = reason


def too_large_message(size: int | None = None) -> str:
    limit = int(settings.UPLOAD_MAX_BYTES)
    if size is None:
        return _("The file is too large: the limit is %(limit)s MB.") % {
            "limit": f"{limit / 1_048_576:.0f}"
        }
    return _("The file is too large (more than %(size)s MB; the limit is %(limit)s MB).") % {
        "size": f"{size / 1_048_576:.0f}",
        "limit": f"{limit / 1_048_576:.0f}",
    }


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file while it is received and refuses it once past `UPLOAD_MAX_BYTES`."""

    request_length: int | None = None

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.request_length = content_length

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.limit = int(settings.UPLOAD_MAX_BYTES)
        self.received = 0
        self.reason = ""
        if len(file_name) > NAME_MAX:
            self.reason = _("The file name is too long (at most %(max)d characters).") % {
                "max": NAME_MAX
            }
            raise StopFutureHandlers  # no other handler opens anything for this file
        length = self.content_length or self.request_length
        if length is not None and length > self.limit + 1_048_576:
            # The whole request is too big for any file in it to fit: refuse before reading.
            self.reason = too_large_message()
            raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received = start + len(raw_data)
        if self.reason:
            return None
        if self.received > self.limit:
            self.reason = too_large_message(self.received)
            return None  # later handlers keep what they had; it is dropped with them
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.reason:
            return RefusedUpload(self.file_name or "", self.received, self.reason)
        return None  # the memory or temporary-file handler has the file


class UploadField(forms.FileField):
    """A file field that reports a refused upload (too large, name too long) as its error."""

    # The reason is already translated (by the handler, in the request's language).
    default_error_messages = {"refused": "%(reason)s"}

    def to_python(self, data: Any) -> Any:
        if isinstance(data, RefusedUpload):
            raise forms.ValidationError(
                self.error_messages["refused"], code="refused", params={"reason": data.reason}
            )
        return super().to_python(data)


def read_limited(upload: IO[bytes], limit: int | None = None) -> bytes:
    """The upload's bytes, refused past `limit` (default UPLOAD_MAX_BYTES) without reading
    more than one chunk beyond it."""
    limit = int(settings.UPLOAD_MAX_BYTES) if limit is None else limit
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(too_large_message(len(data)))
    return data


def check_zip(archive: zipfile.ZipFile) -> None:
    """Refuse an archive whose directory promises too much: too many members, more than
    UPLOAD_MAX_UNPACKED_BYTES in all, or a member packed more than UPLOAD_MAX_RATIO times."""
    unpacked_max = int(settings.UPLOAD_MAX_UNPACKED_BYTES)
    ratio_max = int(settings.UPLOAD_MAX_RATIO)
    members = archive.infolist()
    if len(members) > ZIP_MEMBERS_MAX:
        raise UploadRefused(_("The archive holds too many files."))
    total = 0
    for info in members:
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > 1_048_576 and info.file_size / packed > ratio_max:
            raise UploadRefused(
                _("The archive is refused: a part of it unpacks to %(ratio)d times its size.")
                % {"ratio": info.file_size // packed}
            )
    if total > unpacked_max:
        raise UploadRefused(
            _("The archive is refused: it unpacks to more than %(limit)s MB.")
            % {"limit": f"{unpacked_max / 1_048_576:.0f}"}
        )


def read_zip_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member, unpacked in chunks and counted against its declared size and the limits."""
    info = archive.getinfo(name)
    limit = min(info.file_size, int(settings.UPLOAD_MAX_UNPACKED_BYTES))
    out = io.BytesIO()
    with archive.open(info) as member:
        while chunk := member.read(1 << 16):
            out.write(chunk)
            if out.tell() > limit:
                raise UploadRefused(
                    _("The archive is refused: a part of it is larger than stated.")
                )
    return out.getvalue()
