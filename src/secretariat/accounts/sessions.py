"""Active sessions: what a user sees of their signed-in browsers, and ending them.

A `UserSession` row is written when a session signs in (the `user_logged_in` signal) and
touched by `SessionRecordMiddleware` at most every `SESSION_TOUCH_SECONDS`: the time of the
last touch is kept in the session itself, so a request between two touches costs no query.
The row keeps only a hash of the session key; ending a session finds the Django session whose
key has that hash and deletes it, so the next request of that browser is signed out.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from secretariat.accounts.models import User, UserSession
from secretariat.core import audit
from secretariat.core.audit import client_address

logger = logging.getLogger("secretariat.sessions")

SESSION_TOUCH_SECONDS = 300  # settings.SESSION_TOUCH_SECONDS when set
_SEEN_KEY = "_session_seen"


def key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def _user_agent(request: HttpRequest) -> str:
    # Printable characters only: the header is the client's to choose, the column is ours.
    raw = request.META.get("HTTP_USER_AGENT", "")
    return "".join(ch for ch in raw if ch.isprintable())[:300]


def record_session(request: HttpRequest, user: User) -> UserSession | None:
    """Write (or refresh) the row of the request's session; None for a session with no key."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    if session.session_key is None:
        session.save()
    key = session.session_key
    if key is None:
        return None
    now = timezone.now()
    row, _created = UserSession.objects.update_or_create(
        key_hash=key_hash(key),
        defaults={
            "user": user,
            "user_agent": _user_agent(request),
            "ip_address": client_address(request),
            "last_seen": now,
        },
        create_defaults={
            "user": user,
            "user_agent": _user_agent(request),
            "ip_address": client_address(request),
            "created_at": now,
            "last_seen": now,
        },
    )
    session[_SEEN_KEY] = int(time.time())
    return row


class SessionRecordMiddleware:
    """Keeps `last_seen` of the session row fresh (within a few minutes), cheaply."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if (
            user is not None
            and user.is_authenticated
            and session is not None
            and session.session_key is not None
            and isinstance(user, User)
        ):
            seen = session.get(_SEEN_KEY, 0)
            every = getattr(settings, "SESSION_TOUCH_SECONDS", SESSION_TOUCH_SECONDS)
            if not isinstance(seen, int) or time.time() - seen >= every:
                # SessionMiddleware (listed before this one) saves the new touch time.
                touch_without_waiting(request, user)
        return response


_touch_stats = {"skipped": 0}


def touches_skipped() -> int:
    """How many session touches this process skipped because the database was busy."""
    return _touch_stats["skipped"]


def touch_without_waiting(request: HttpRequest, user: User) -> bool:
    """record_session(), unless it would wait for another writer: a touch is only a "last seen"
    within a few minutes, never worth holding a read behind a long write (a 20 MB import on
    SQLite holds the write lock for many seconds). On SQLite the lock is waited for at most
    `AUDIT_VIEW_WAIT_MS` (as view audit rows are); if it is still held, the touch is skipped
    and counted, the session keeps its old touch time, and a later request touches it. False
    when skipped."""
    try:
        # Its own short transaction: the row and nothing else, the lock held only for it.
        with audit.without_waiting(), transaction.atomic():
            record_session(request, user)
    except OperationalError as exc:
        if not audit.is_busy(exc):
            raise
        _touch_stats["skipped"] += 1
        logger.info("Session touch skipped: the database is busy (%d so far)", touches_skipped())
        return False
    return True


@dataclass(frozen=True)
class ActiveSession:
    row: UserSession
    current: bool

    @property
    def browser(self) -> str:
        return describe_user_agent(self.row.user_agent)


def describe_user_agent(user_agent: str) -> str:
    """ "Firefox on Windows" from a user-agent header; the raw header when nothing matches."""
    ua = user_agent.lower()
    browser = next(
        (
            name
            for key, name in (
                ("edg/", "Edge"),
                ("opr/", "Opera"),
                ("firefox/", "Firefox"),
                ("chromium/", "Chromium"),
                ("chrome/", "Chrome"),
                ("safari/", "Safari"),
            )
            if key in ua
        ),
        "",
    )
    system = next(
        (
            name
            for key, name in (
                ("windows", "Windows"),
                ("android", "Android"),
                ("iphone", "iOS"),
                ("ipad", "iOS"),
                ("mac os x", "macOS"),
                ("linux", "Linux"),
            )
            if key in ua
        ),
        "",
    )
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or user_agent[:80]


def _cutoff() -> datetime:
    return timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)


def active_sessions(user: User, request: HttpRequest | None = None) -> list[ActiveSession]:
    """The user's sessions seen within the session lifetime, newest first; the request's own
    marked. Rows of sessions that have run out are removed on the way."""
    UserSession.objects.filter(user=user, last_seen__lt=_cutoff()).delete()
    current = current_key_hash(request)
    return [
        ActiveSession(row=row, current=row.key_hash == current)
        for row in UserSession.objects.filter(user=user).order_by("-last_seen")
    ]


def _delete_django_sessions(
    hashes: Iterable[str], user_id: int | None = None, keep: str = ""
) -> int:
    """Delete the Django sessions whose key hashes to one of `hashes` (and, with `user_id`,
    every live session signed in as that user, recorded or not), except the one whose hash is
    `keep`. The session table has no user column and keeps keys, not hashes, so the live
    sessions are read in Python: ending a session is rare, and a forum has hundreds of users,
    not millions."""
    wanted = set(hashes)
    doomed: list[str] = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        hashed = key_hash(session.session_key)
        if hashed == keep:
            continue
        if hashed in wanted or (
            user_id is not None and str(session.get_decoded().get("_auth_user_id")) == str(user_id)
        ):
            doomed.append(session.session_key)
    deleted, _ = Session.objects.filter(session_key__in=doomed).delete()
    return deleted


def do_end_session(row: UserSession, *, actor: User, request: HttpRequest | None = None) -> None:
    """End one session: the browser that holds it is signed out at its next request."""
    with transaction.atomic():
        _delete_django_sessions([row.key_hash])
        audit.record(
            "session.ended",
            actor=actor,
            obj=row.user,
            request=request,
            user_agent=row.user_agent,
            session_address=row.ip_address,
        )
        row.delete()


def current_key_hash(request: HttpRequest | None) -> str:
    if request is None or not request.session.session_key:
        return ""
    return key_hash(request.session.session_key)


def do_end_all_sessions(
    target: User,
    *,
    actor: User,
    request: HttpRequest | None = None,
    reason: str = "",
    keep_current: bool = False,
) -> int:
    """End every session of `target` (recorded or not), but the request's own one with
    `keep_current`; the number ended."""
    keep = current_key_hash(request) if keep_current else ""
    with transaction.atomic():
        ended = _delete_django_sessions(
            UserSession.objects.filter(user=target).values_list("key_hash", flat=True),
            target.pk,
            keep=keep,
        )
        UserSession.objects.filter(user=target).exclude(key_hash=keep).delete()
        audit.record(
            "session.ended_all",
            actor=actor,
            obj=target,
            request=request,
            ended=ended,
            reason=reason,
            kept_current=bool(keep),
        )
    return ended
