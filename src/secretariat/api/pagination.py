"""Cursor pagination: the cursor is opaque to clients (a signed value: the last id seen, or an
offset for ranked results), so it can neither be forged to skip the access filter nor guessed."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db.models import Model, QuerySet

from secretariat.api.problems import BadCursor
from secretariat.core.limits import MAX_ID

SALT = "secretariat.api.cursor"
MAX_LIMIT = 100
DEFAULT_LIMIT = 25


def encode(kind: str, value: int) -> str:
    return signing.dumps([kind, value], salt=SALT, compress=False)


def decode(cursor: str | None, kind: str) -> int | None:
    if not cursor:
        return None
    try:
        got_kind, value = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        raise BadCursor from None
    if got_kind != kind or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise BadCursor
    return value


def keyset(
    qs: QuerySet[Any], cursor: str | None, limit: int, *, kind: str
) -> tuple[list[Any], str | None]:
    """Newest first by primary key: the page after `cursor`, and the cursor of the next page."""
    after = decode(cursor, kind)
    if after is not None:
        qs = qs.filter(pk__lt=after)
    rows: list[Model] = list(qs.order_by("-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode(kind, int(rows[-1].pk)) if more and rows else None
