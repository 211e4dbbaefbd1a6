"""Notifying users. Call inside the transaction of the change the notification is about."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat.notifications.models import Notification


def notify(users: Iterable[Any], kind: str, text: str, url: str = "", key: str = "") -> int:
    """Create one notification per user; with a `key`, a user is notified of it only once."""
    created = 0
    for user in {u.pk: u for u in users}.values():
        if key and Notification.objects.filter(user=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, kind=kind, text=text, url=url, key=key)
            created += 1
        except IntegrityError:  # a concurrent run created it first
            continue
    return created


def do_mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
