"""Notifying users. Call inside the transaction of the change the notification is about."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from secretariat.accounts.models import User
from secretariat.notifications.models import Notification


def notify(users: Iterable[User], kind: str, text: str, url: str = "", key: str = "") -> int:
    """Create one notification per user; with a `key`, a user is notified of it only once.

    Two queries whatever the number of users: which of them already have the keyed
    notification, then one bulk insert. The insert ignores conflicts, so a concurrent run that
    created some of them first costs nothing (the count returned may then be too high)."""
    by_pk = {u.pk: u for u in users}
    if key and by_pk:
        done = set(
            Notification.objects.filter(user_id__in=list(by_pk), key=key).values_list(
                "user_id", flat=True
            )
        )
        by_pk = {pk: u for pk, u in by_pk.items() if pk not in done}
    if not by_pk:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(user=user, kind=kind, text=text, url=url, key=key)
            for user in by_pk.values()
        ],
        ignore_conflicts=bool(key),
    )
    return len(by_pk)


def do_mark_read(user: User, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
