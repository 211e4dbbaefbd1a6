"""An upload kept while its uploader confirms a warning (the same file is in the library, or
the text is not the document's). The bytes are kept under a random name in the storage's
``pending/`` area, never in the content-addressed store: a file kept there for a duplicate is
some document's file, and could not be removed when the uploader walks away. The form carries
a token signed for this user, file and name, so nobody can name another's kept file, nor a
stored file they never uploaded.

A kept file goes when its upload is confirmed (the action has stored the bytes under their
checksum), when the uploader cancels, and otherwise with the worker's hourly sweep of kept
files older than ``SWEEP_AFTER`` (the token itself expires after ``MAX_AGE_SECONDS``).
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.documents import files

logger = logging.getLogger(__name__)

SALT = "secretariat.documents.pending-upload"
MAX_AGE_SECONDS = 3600
SWEEP_AFTER = timedelta(days=1)
SWEEP_EVERY_SECONDS = 3600
AREA = "pending"


def keep(data: bytes, sha256: str, filename: str, user: Any) -> str:
    """Keep the bytes until the uploader confirms or cancels; the token that names them."""
    name = f"{AREA}/{secrets.token_hex(16)}"
    try:
        name = default_storage.save(name, ContentFile(data))
    except OSError as exc:
        if exc.errno not in files.FULL_ERRNOS:
            raise
        raise files.StorageFull(
            _("The server has no room left to store this file; nothing was saved. ")
            + _("Please tell the secretariat.")
        ) from exc
    return signing.dumps({"u": user.pk, "s": sha256, "n": filename[:255], "f": name}, salt=SALT)


def _unsigned(token: str, user: Any) -> dict[str, str] | None:
    """The token's fields if it is this user's, unexpired and names a kept file."""
    try:
        value = signing.loads(token[:1000], salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != user.pk:
        return None
    name = str(value.get("f", ""))
    if not name.startswith(f"{AREA}/") or "/" in name[len(AREA) + 1 :] or ".." in name:
        return None
    return {"sha256": str(value.get("s", "")), "filename": str(value.get("n", "")), "name": name}


def take(token: str, user: Any) -> tuple[bytes, str] | None:
    """(bytes, file name) of a kept upload, or None for a token that is not this user's, has
    expired or names a file no longer kept (confirmed, cancelled or swept)."""
    value = _unsigned(token, user)
    if value is None or len(value["sha256"]) != 64 or not default_storage.exists(value["name"]):
        return None
    with default_storage.open(value["name"], "rb") as handle:
        data = handle.read()
    if files.checksum(data) != value["sha256"]:
        return None
    return data, value["filename"]


def discard(token: str, user: Any) -> bool:
    """Remove the kept file the token names (the upload was saved, or its uploader cancelled).
    Whether there was one to remove."""
    value = _unsigned(token, user)
    if value is None or not default_storage.exists(value["name"]):
        return False
    with contextlib.suppress(FileNotFoundError):
        default_storage.delete(value["name"])
    return True


def sweep(now: datetime | None = None) -> int:
    """Remove the kept files older than SWEEP_AFTER (their uploaders walked away). How many."""
    cutoff = (now or timezone.now()) - SWEEP_AFTER
    try:
        _dirs, names = default_storage.listdir(AREA)
    except FileNotFoundError:
        return 0
    removed = 0
    for leaf in names:
        if leaf.startswith("."):
            continue  # a file still being written (core.storage's temporary name)
        name = f"{AREA}/{leaf}"
        try:
            if default_storage.get_modified_time(name) >= cutoff:
                continue
            default_storage.delete(name)
        except FileNotFoundError:
            continue  # confirmed or cancelled meanwhile
        removed += 1
    if removed:
        logger.info("Removed %d kept upload(s) older than %s", removed, SWEEP_AFTER)
    return removed
