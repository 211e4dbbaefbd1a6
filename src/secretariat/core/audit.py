"""Writing the audit log.

Changes: call `record(...)` inside the transaction of the change it describes; the row commits
or rolls back with the change.

Views (`record_view`, and `record("view", ...)`): a page that only reads must never fail
because someone else holds the database's write lock (one long import on SQLite held it for
106 s, and every read that wrote its view row failed with "database is locked"). So a view
event is written at once only if that needs no wait: inside a transaction (which already owns
its lock), or in autocommit with a lock wait of at most `AUDIT_VIEW_WAIT_MS` (SQLite's busy
timeout is lowered for that one insert). If the insert cannot be done now (locked, busy, or the
database unreachable), the event, with its original time, goes into this process's buffer and
a background thread writes the buffer in batches (its own connection, the normal busy timeout,
retrying with a backoff) and once more when the process exits. Nothing is skipped while the
buffer has room (`AUDIT_VIEW_BUFFER`, 10,000 events); past that the oldest waiting events are
dropped and counted (`view_stats().dropped`, logged). A process killed with events still in
its buffer loses them: the price of answering the read.

Addresses: every row written while a request is being answered carries the request's client
address, even when the action that writes it was given no request: `AuditAddressMiddleware`
(core.middleware) puts the address in a context variable that `record` reads. The address is
REMOTE_ADDR only; `secretariat serve` sets it from X-Forwarded-For solely for connections from
`SECRETARIAT_TRUSTED_PROXIES`.

Actors: the row keeps the actor's user name, full name and delegation code as text, so the
record outlives the account (the table refuses UPDATE and DELETE, see core.models).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest
from django.utils import timezone

from secretariat.core.models import AuditEvent

logger = logging.getLogger("secretariat.audit")

VIEW_ACTIONS = frozenset({"view"})


_address: ContextVar[str | None] = ContextVar("secretariat_audit_address", default=None)


def client_address(request: HttpRequest | None) -> str | None:
    """The request's client address (REMOTE_ADDR); without a request, the address of the
    request being answered in this context, if any."""
    if request is None:
        return _address.get()
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged; the server rewrites REMOTE_ADDR
    # from it only for connections from a trusted proxy (`secretariat serve`).
    address = request.META.get("REMOTE_ADDR") or None
    return address if address and _is_address(address) else None


def _is_address(value: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


@contextmanager
def request_address(address: str | None) -> Iterator[None]:
    """Audit rows written inside carry `address` (set per request by the middleware)."""
    token = _address.set(address)
    try:
        yield
    finally:
        _address.reset(token)


def _actor_details(actor: Any) -> tuple[str, str]:
    """The actor's full name and delegation code, kept in the row (core imports no app)."""
    if actor is None:
        return "", ""
    full_name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    delegation = getattr(actor, "delegation", None)
    return str(full_name)[:300], str(getattr(delegation, "code", "") or "")[:32]


def _event(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None,
    request: HttpRequest | None,
    actor_name: str,
    detail: dict[str, Any],
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    full_name, delegation = _actor_details(actor)
    return AuditEvent(
        at=timezone.now(),
        action=action,
        actor=actor,
        # Without a user or a request the change comes from a command or a task.
        actor_name=actor_name
        or (actor.get_username() if actor is not None else "" if request else "system"),
        actor_full_name=full_name,
        actor_delegation=delegation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        ip_address=client_address(request),
        detail=detail,
    )


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one audit row; `detail` holds old/new values or anything else worth keeping.
    A "view" goes the way of `record_view` (written now if it can be without waiting)."""
    event = _event(
        action, actor=actor, obj=obj, request=request, actor_name=actor_name, detail=detail
    )
    if action in VIEW_ACTIONS:
        _write_view(event)
    else:
        event.save()
    return event


def record_about(
    action: str,
    *,
    actor: Any,
    object_type: str,
    object_id: str,
    object_repr: str,
    **detail: Any,
) -> AuditEvent:
    """Append a change row about an object known only by its type, id and text (an object the
    admin deleted, a LogEntry mirrored)."""
    event = _event(action, actor=actor, obj=None, request=None, actor_name="", detail=detail)
    event.object_type = object_type[:64]
    event.object_id = object_id[:64]
    event.object_repr = object_repr[:300]
    event.save()
    return event


def record_view(
    *,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    actor: Any = None,
    action: str = "view",
    **detail: Any,
) -> AuditEvent:
    """Record that someone read restricted content, without ever failing or waiting on the
    database (see the module docstring). The returned event has no pk if it was buffered."""
    event = _event(action, actor=actor, obj=obj, request=request, actor_name="", detail=detail)
    _write_view(event)
    return event


def record_views(
    objs: Iterable[models.Model],
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    action: str = "view",
    **detail: Any,
) -> int:
    """`record_view` of each object, in one insert (a page of search hits shows many
    documents' words): the same rules, never failing nor waiting. How many events."""
    events = [
        _event(action, actor=actor, obj=obj, request=request, actor_name="", detail=dict(detail))
        for obj in objs
    ]
    _write_views(events)
    return len(events)


# --- the view buffer -------------------------------------------------------------------------
@dataclass
class ViewStats:
    written_now: int = 0
    buffered: int = 0
    flushed: int = 0
    dropped: int = 0
    waiting: int = 0


_lock = threading.Lock()
_buffer: deque[AuditEvent] = deque()
_stats = ViewStats()
_wake = threading.Event()
_flusher: threading.Thread | None = None


def view_stats() -> ViewStats:
    with _lock:
        return ViewStats(
            _stats.written_now, _stats.buffered, _stats.flushed, _stats.dropped, len(_buffer)
        )


def _wait_ms() -> int:
    return int(getattr(settings, "AUDIT_VIEW_WAIT_MS", 100))


def _buffer_limit() -> int:
    return int(getattr(settings, "AUDIT_VIEW_BUFFER", 10_000))


def _is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if connection.vendor != "sqlite":
        return True
    message = str(exc).lower()
    return "locked" in message or "busy" in message or "unable to open" in message


def _write_view(event: AuditEvent) -> None:
    _write_views([event])


def _write_views(events: list[AuditEvent]) -> None:
    """Insert view events in one statement, at once; where that would wait on a writer or the
    database is gone, buffer them for the flusher instead (a read never fails on its audit)."""
    if not events:
        return
    if connection.in_atomic_block:
        # the surrounding transaction owns (or will own) the lock
        AuditEvent.objects.bulk_create(events)
    else:
        try:
            with without_waiting():
                AuditEvent.objects.bulk_create(events)
        except (OperationalError, InterfaceError) as exc:
            if not _is_unavailable(exc):
                raise
            for event in events:
                event.pk = None
                _enqueue(event)
            return
    with _lock:
        _stats.written_now += len(events)


@contextmanager
def lock_wait_at_most(milliseconds: int) -> Iterator[None]:
    """Writes inside wait at most this long for SQLite's write lock (its busy timeout lowered
    for the block, then restored), so a write a reader can do without (a view row, a
    session's "last seen", a token's last use) fails fast with a busy error instead of holding
    the read behind a long writer; see `is_busy`. No change on PostgreSQL, whose writers do
    not lock each other out of different rows, nor inside a transaction (it owns its lock)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    normal_ms = int(float(connection.settings_dict["OPTIONS"].get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds):d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {normal_ms:d}")


def is_busy(exc: BaseException) -> bool:
    """An error of a write that met another writer's lock (SQLite's "database is locked")."""
    if not isinstance(exc, OperationalError) or connection.vendor != "sqlite":
        return False
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def without_waiting() -> Any:
    """`lock_wait_at_most` the view events' wait (`AUDIT_VIEW_WAIT_MS`)."""
    return lock_wait_at_most(_wait_ms())


def _enqueue(event: AuditEvent) -> None:
    global _flusher
    with _lock:
        if len(_buffer) >= _buffer_limit():
            _buffer.popleft()
            _stats.dropped += 1
            logger.error("Audit view buffer full: the oldest waiting view event is dropped")
        _buffer.append(event)
        _stats.buffered += 1
        if _flusher is None or not _flusher.is_alive():
            _flusher = threading.Thread(target=_flush_forever, name="audit-views", daemon=True)
            _flusher.start()
    _wake.set()


def flush_views(batch: int = 500) -> int:
    """Write what the buffer holds (in this thread); the number written. Raises if the
    database is still unavailable (the events stay in the buffer)."""
    written = 0
    while True:
        with _lock:
            events = [_buffer.popleft() for _ in range(min(batch, len(_buffer)))]
        if not events:
            return written
        try:
            AuditEvent.objects.bulk_create(events)
        except Exception:
            with _lock:
                _buffer.extendleft(reversed(events))
            raise
        with _lock:
            _stats.flushed += len(events)
        written += len(events)


def _flush_forever() -> None:
    delay = 0.5
    while True:
        _wake.wait(timeout=5)
        _wake.clear()
        try:
            flush_views()
            delay = 0.5
        except Exception as exc:
            logger.warning("Audit view events not written yet (%s); retrying in %.1f s", exc, delay)
            time.sleep(delay)
            delay = min(30.0, delay * 2)
            _wake.set()
        finally:
            connection.close()


@atexit.register
def _flush_at_exit() -> None:
    if not _buffer:
        return
    try:
        flush_views()
    except Exception as exc:
        logger.error("%d audit view events lost at exit: %s", len(_buffer), exc)


# --- the database's guard (migration core 0004) ----------------------------------------------
_erasing: ContextVar[bool] = ContextVar("secretariat_audit_erasing", default=False)


@contextmanager
def erasing_database() -> Iterator[None]:
    """Inside, SQLite's append-only triggers let rows go: only for `secretariat flush`, which
    empties every table of the database (the test runner's reset between tests)."""
    token = _erasing.set(True)
    try:
        yield
    finally:
        _erasing.reset(token)


def _sqlite_audit_writable() -> int:
    return 1 if _erasing.get() else 0


def register_sqlite_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: the function SQLite's audit triggers consult."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "secretariat_audit_writable", 0, _sqlite_audit_writable
        )
