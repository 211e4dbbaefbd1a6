"""Files attached to posts: the library's checks (type by content, size limit, readable), stored
content-addressed beside the library's files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from secretariat.board.models import Attachment, Post
from secretariat.documents import files


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    content_type: str


def clean_upload(value: Any) -> Upload | None:
    """The library's checks: type by content, size limit, readable text."""
    if not value:
        return None
    limit = settings.UPLOAD_MAX_BYTES
    if value.size is not None and value.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)d bytes; the limit is %(limit)d bytes).")
            % {"size": value.size, "limit": limit}
        )
    data = value.read(limit + 1)
    try:
        sniffed = files.sniff(data)
        files.extract_text(sniffed.kind, data)
    except files.FileRejected as exc:
        raise ValidationError(str(exc)) from None
    name = os.path.basename(str(value.name or "file")).replace("\x00", "")
    name = re.sub(r"[\x00-\x1f\x7f/\\\\]", "_", name).strip()[:200] or "file"
    return Upload(name, data, sniffed.content_type)


def attach(post: Post, upload: Upload) -> Attachment:
    """Inside the post's transaction (the stored file is content-addressed: a rollback leaves
    at most an unreferenced copy of bytes someone uploaded)."""
    sha = files.checksum(upload.data)
    name = files.store(upload.data, sha)
    return Attachment.objects.create(
        post=post,
        filename=upload.filename,
        content_type=upload.content_type,
        size=len(upload.data),
        sha256=sha,
        storage_name=name,
    )
