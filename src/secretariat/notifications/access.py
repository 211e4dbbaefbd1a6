"""Notifications are private to their user; one about a restricted object is shown (and
mailed) only while the user may still see that object."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from secretariat.accounts.access import can_view
from secretariat.accounts.models import User
from secretariat.notifications.models import Notification


def readable(user: User, notifications: Iterable[Notification]) -> list[Notification]:
    """The notifications whose target (if any) the user may still see; one query per kind of
    target, not per notification."""
    items = list(notifications)
    wanted: dict[int, set[str]] = defaultdict(set)
    for n in items:
        if n.target_type_id:
            wanted[n.target_type_id].add(n.target_id)
    visible: set[tuple[int, str]] = set()
    for type_id, ids in wanted.items():
        content_type = next(n.target_type for n in items if n.target_type_id == type_id)
        model = content_type.model_class() if content_type is not None else None
        if model is None:
            continue
        # A target that inherits its rule (`access_parent()`: a thread's board, a post's
        # thread's board) would fetch its parent one query per notification: the parents come
        # in the same query (every non-null relation; a handful of rows).
        # A target's fields as large as a document (a negotiation's imported draft) are left
        # unread: the header counts unread notifications on every page.
        rows = model._default_manager.defer(*getattr(model, "LARGE_FIELDS", ()))
        if callable(getattr(model, "access_parent", None)):
            rows = rows.select_related()
        for pk, obj in rows.in_bulk(list(ids)).items():
            if can_view(user, obj):
                visible.add((type_id, str(pk)))
    return [n for n in items if not n.target_type_id or (n.target_type_id, n.target_id) in visible]
