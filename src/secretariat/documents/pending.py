"""An upload kept while its uploader confirms a warning (the same file is in the library, or
the text is not the document's): the bytes go to the content-addressed store (where a
duplicate's bytes already are) and the form carries a token signed for this user and file,
so nobody can name another's file, nor a stored file they never uploaded."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.core.files.storage import default_storage

from secretariat.documents import files

SALT = "secretariat.documents.pending-upload"
MAX_AGE_SECONDS = 3600


def keep(data: bytes, sha256: str, filename: str, user: Any) -> str:
    files.store(data, sha256)
    return signing.dumps({"u": user.pk, "s": sha256, "n": filename[:255]}, salt=SALT)


def take(token: str, user: Any) -> tuple[bytes, str] | None:
    """(bytes, file name) of a kept upload, or None for a token that is not this user's, has
    expired or names bytes no longer stored."""
    try:
        value = signing.loads(token[:1000], salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("u") != user.pk:
        return None
    sha256, filename = str(value.get("s", "")), str(value.get("n", ""))
    name = files.storage_name(sha256)
    if len(sha256) != 64 or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    if files.checksum(data) != sha256:
        return None
    return data, filename
