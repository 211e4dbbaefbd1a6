"""Notifying users, their email choices, following. Call `notify` inside the transaction of the
change the notification is about: the notifications, the emails and the digest task are written
with it, in a constant number of queries whatever the number of users."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Min
from django.utils import timezone

from secretariat.accounts.access import can_view
from secretariat.accounts.models import Body, User, member_on_q
from secretariat.core import audit
from secretariat.notifications.kinds import category_of
from secretariat.notifications.models import (
    Category,
    DigestSchedule,
    EmailState,
    Follow,
    Mode,
    Notification,
    NotificationPreference,
)

# What a user gets by email when they have not chosen.
DEFAULT_MODES: dict[str, str] = {
    Category.DOCUMENTS: Mode.DIGEST,
    Category.REVISIONS: Mode.IMMEDIATE,
    Category.PARAGRAPHS: Mode.IMMEDIATE,
    Category.SILENCE: Mode.IMMEDIATE,
    Category.NOTES_VERBALES: Mode.IMMEDIATE,
    Category.BOARD: Mode.DIGEST,
    Category.OTHER: Mode.DIGEST,
}
DEFAULT_DIGEST_HOUR = 8


def user_zone(user: User) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _prefill_body_ids(users: list[User]) -> None:
    """One query for every user's bodies, so checking a body-level target costs no query per
    user (accounts.access caches the set on the user object)."""
    delegation_ids = {u.delegation_id for u in users if u.delegation_id}
    bodies: dict[int, set[int]] = {d: set() for d in delegation_ids}
    through = Body.members.through
    for body_id, delegation_id in through.objects.filter(
        member_on_q(prefix="delegation__"), delegation_id__in=delegation_ids
    ).values_list("body_id", "delegation_id"):
        bodies[delegation_id].add(body_id)
    for u in users:
        if u.delegation_id:
            u._body_ids = bodies.get(u.delegation_id, set())  # type: ignore[attr-defined]


def modes_for(users: list[User], category: str) -> dict[int, str]:
    chosen = dict(
        NotificationPreference.objects.filter(
            user_id__in=[u.pk for u in users], category=category
        ).values_list("user_id", "mode")
    )
    default = DEFAULT_MODES.get(category, Mode.OFF)
    return {u.pk: chosen.get(u.pk, default) for u in users}


def _at_hour(day: date, hour: int, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def digest_boundary_after(user: User, hour: int, moment: datetime) -> datetime:
    """The first digest time (`hour`:00 in the user's zone) after `moment`: an item created at
    `moment` goes out in that digest."""
    zone = user_zone(user)
    local = moment.astimezone(zone)
    candidate = _at_hour(local.date(), hour, zone)
    if candidate <= moment:
        candidate = _at_hour(local.date() + timedelta(days=1), hour, zone)
    return candidate


def last_digest_boundary(user: User, hour: int, now: datetime) -> datetime:
    """The latest digest time at or before `now` in the user's zone."""
    zone = user_zone(user)
    local = now.astimezone(zone)
    candidate = _at_hour(local.date(), hour, zone)
    if candidate > now:
        candidate = _at_hour(local.date() - timedelta(days=1), hour, zone)
    return candidate


def notify(
    users: Iterable[Any],
    kind: str,
    text: str = "",
    url: str = "",
    key: str = "",
    *,
    params: dict[str, Any] | None = None,
    target: models.Model | None = None,
) -> int:
    """Notify each user once; returns how many notifications were created.

    New form: `notify(users, kind, params={...}, url=..., key=..., target=obj)`: the sentence
    is rendered from the kind's registered template in each reader's language; with a `target`
    the users who may not see it are skipped (and it is re-checked when read or mailed).
    Old form, kept for existing call sites: `notify(users, kind, text, url, key)`.
    With a `key`, a user is notified of it only once (a task that runs twice notifies once).
    """
    people = [u for u in {u.pk: u for u in users}.values() if u.is_active]
    if not people:
        return 0
    if target is not None:
        _prefill_body_ids(people)
        people = [u for u in people if can_view(u, target)]
    if key:
        already = set(
            Notification.objects.filter(key=key, user_id__in=[u.pk for u in people]).values_list(
                "user_id", flat=True
            )
        )
        people = [u for u in people if u.pk not in already]
    if not people:
        return 0
    key = key or f"auto:{uuid.uuid4().hex}"
    category = category_of(kind)
    modes = modes_for(people, category)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    state = {
        Mode.IMMEDIATE: EmailState.QUEUED,
        Mode.DIGEST: EmailState.DIGEST,
        Mode.OFF: EmailState.NONE,
    }
    rows = [
        Notification(
            user=u,
            kind=kind,
            params=params or {},
            text=text[:500],
            url=url,
            key=key,
            target_type=target_type,
            target_id=str(target.pk) if target is not None else "",
            email_state=state[Mode(modes[u.pk])] if u.email else EmailState.NONE,
        )
        for u in people
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _mail_at_once([r.user for r in rows if r.email_state == EmailState.QUEUED], key)
    _schedule_digests([r.user for r in rows if r.email_state == EmailState.DIGEST])
    return len(rows)


def _mail_at_once(users: list[User], key: str) -> None:
    if not users:
        return
    from secretariat.outbox.api import EmailRequest, enqueue_emails

    enqueue_emails(
        EmailRequest(
            u,
            "notifications.immediate",
            {"user": u.pk, "key": key},
            key=f"notification:{u.pk}:{key}"[:200],
        )
        for u in users
    )


def _schedule_digests(users: list[User], now: datetime | None = None) -> None:
    """Make sure the digest task runs at the first digest time of these users' new items."""
    if not users:
        return
    now = now or timezone.now()
    schedules = DigestSchedule.objects.in_bulk([u.pk for u in users])
    _ensure_digest_task(
        min(digest_boundary_after(u, _hour(schedules.get(u.pk)), now) for u in users)
    )


def _ensure_digest_task(at: datetime) -> None:
    from secretariat.notifications.tasks import send_digests
    from secretariat.outbox.scheduling import ensure_task

    ensure_task(send_digests, at=at)


def _hour(schedule: DigestSchedule | None) -> int:
    return schedule.hour if schedule is not None else DEFAULT_DIGEST_HOUR


def send_due_digests(now: datetime | None = None) -> int:
    """Gather each user's waiting items into ONE message at their digest hour, in their own
    time zone (driven by `now`, so tests and the task choose the time). A digest at 09:00
    carries what arrived before 09:00; later items wait for the next day's. Idempotent: one
    digest per user and digest time, and the message key names the day."""
    now = now or timezone.now()
    waiting = dict(
        Notification.objects.filter(email_state=EmailState.DIGEST, created_at__lte=now)
        .order_by()
        .values("user_id")
        .annotate(first=Min("created_at"))
        .values_list("user_id", "first")
    )
    users = list(User.objects.filter(pk__in=list(waiting), is_active=True))
    schedules = DigestSchedule.objects.in_bulk([u.pk for u in users])
    sent = 0
    next_times: list[datetime] = []
    for user in users:
        schedule = schedules.get(user.pk)
        hour = _hour(schedule)
        boundary = last_digest_boundary(user, hour, now)
        day = boundary.astimezone(user_zone(user)).date()
        last = schedule.last_sent_on if schedule is not None else None
        if waiting[user.pk] < boundary and (last is None or last < day):
            sent += _send_digest(user, boundary, day)
        next_times.append(digest_boundary_after(user, hour, max(waiting[user.pk], boundary)))
    if next_times:
        _ensure_digest_task(max(min(next_times), now + timedelta(seconds=1)))
    return sent


def _send_digest(user: User, boundary: datetime, day: date) -> bool:
    from secretariat.outbox.api import enqueue_email

    with transaction.atomic():
        items = list(
            Notification.objects.select_for_update()
            .filter(user=user, email_state=EmailState.DIGEST, created_at__lt=boundary)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)
        )
        if not items:
            return False
        enqueue_email(
            user,
            "notifications.digest",
            {"ids": items, "date": day.isoformat()},
            key=f"digest:{user.pk}:{day.isoformat()}",
        )
        Notification.objects.filter(pk__in=items).update(email_state=EmailState.DIGESTED)
        DigestSchedule.objects.update_or_create(user=user, defaults={"last_sent_on": day})
    return True


def do_mark_read(user: Any, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def do_update_notification_settings(
    user: User, *, modes: dict[str, str], digest_hour: int, time_zone: str, actor: User
) -> None:
    """Save a user's email choice per category, digest hour and time zone (audited)."""
    with transaction.atomic():
        old = {
            "modes": dict(
                NotificationPreference.objects.filter(user=user).values_list("category", "mode")
            ),
            "time_zone": user.time_zone,
        }
        for category, mode in modes.items():
            NotificationPreference.objects.update_or_create(
                user=user, category=Category(category), defaults={"mode": Mode(mode)}
            )
        DigestSchedule.objects.update_or_create(user=user, defaults={"hour": digest_hour})
        if user.time_zone != time_zone:
            user.time_zone = time_zone
            user.save(update_fields=["time_zone"])
        audit.record(
            "notifications.settings",
            actor=actor,
            obj=user,
            old=old,
            new={"modes": modes, "digest_hour": digest_hour, "time_zone": time_zone},
        )


def do_unsubscribe(user: User, category: str) -> None:
    """One-click unsubscribe from an email (RFC 8058): the category off, or every digest."""
    with transaction.atomic():
        if category == "digest":
            current = modes_for_all(user)
            for cat, mode in current.items():
                if mode == Mode.DIGEST:
                    NotificationPreference.objects.update_or_create(
                        user=user, category=cat, defaults={"mode": Mode.OFF}
                    )
        elif category in Category.values:
            NotificationPreference.objects.update_or_create(
                user=user, category=category, defaults={"mode": Mode.OFF}
            )


def modes_for_all(user: User) -> dict[str, str]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("category", "mode"))
    return {c: chosen.get(c, DEFAULT_MODES[c]) for c in Category.values}


# --- following -------------------------------------------------------------------------------
def is_following(user: User, obj: models.Model) -> bool:
    return Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).exists()


def do_follow(user: User, obj: models.Model, *, follow: bool = True) -> bool:
    """Follow (or stop following) an object the user can see; returns whether anything
    changed. The caller has checked access (views fetch `obj` through the access layer)."""
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        if follow:
            _, changed = Follow.objects.get_or_create(
                user=user, content_type=content_type, object_id=str(obj.pk)
            )
        else:
            changed = (
                Follow.objects.filter(
                    user=user, content_type=content_type, object_id=str(obj.pk)
                ).delete()[0]
                > 0
            )
        if changed:
            audit.record(
                "notifications.follow" if follow else "notifications.unfollow", actor=user, obj=obj
            )
    return changed


def followers_of(obj: models.Model) -> models.QuerySet[User]:
    """The active users who follow `obj` (for `notify(followers_of(doc), ...)`); `notify`
    with `target=obj` then skips any who can no longer see it."""
    return User.objects.filter(
        is_active=True,
        follows__content_type=ContentType.objects.get_for_model(obj),
        follows__object_id=str(obj.pk),
    )
