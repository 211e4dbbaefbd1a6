"""The podium view: the working text, large, read-only, following the chair's edits live.

Each viewer holds one Server-Sent Events stream. One poller per web process reads the change
counters (`Negotiation.version`) of the negotiations being watched every 200 ms, renders a
changed text once, and wakes every stream of that process: the database stays the only
channel between processes, so it works with several web processes, on SQLite and PostgreSQL.
A viewer whose EventSource fails polls `text/?since=N` every second (204 while unchanged).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import import_module
from typing import TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.handlers.asgi import ASGIRequest
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from secretariat.accounts import access as policy
from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.negotiation import engine
from secretariat.negotiation.access import (
    get_negotiation_for,
    get_negotiation_for_poll,
    record_repeated_view,
)
from secretariat.negotiation.models import Negotiation, Revision

log = logging.getLogger(__name__)
T = TypeVar("T")

POLL_SECONDS = 0.2
KEEPALIVE_SECONDS = 15.0
# A quiet stream asks this often whether its viewer is still signed in and allowed.
CHECK_SECONDS = 2.0


def podium_state(pk: int) -> tuple[int, str]:
    """(version, HTML fragment) of the text on the screen: the working draft."""
    negotiation = Negotiation.objects.only("version", "state", "title").get(pk=pk)
    working = Revision.objects.only("notation", "number").get(negotiation_id=pk, frozen=False)
    register = engine.forum_register()
    draft = engine.draft_of(working, register)
    html = render_to_string(
        "negotiation/_podium_text.html",
        {
            "negotiation": negotiation,
            "working": working,
            "html": engine.render_html(draft, register),
            "summary": engine.summary(draft),
        },
    )
    return negotiation.version, html


def podium(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for(request, pk)
    version, html = podium_state(negotiation.pk)
    return render(
        request,
        "negotiation/podium.html",
        {"negotiation": negotiation, "version": version, "text_html": html},
    )


def version(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_poll(request, pk)
    since = request.GET.get("since")
    if since is not None and since == str(negotiation.version):
        return HttpResponse(status=204)
    return JsonResponse({"version": negotiation.version})


def text(request: HttpRequest, pk: int) -> HttpResponse:
    """The polling fallback: the text fragment, or 204 while the version is unchanged."""
    negotiation = get_negotiation_for_poll(request, pk)
    if request.GET.get("since") == str(negotiation.version):
        return HttpResponse(status=204)
    version, html = podium_state(negotiation.pk)
    response = HttpResponse(html)
    response["X-Podium-Version"] = str(version)
    return response


class Poller:
    """Per process (per event loop): watches versions, renders once, wakes all streams."""

    def __init__(self) -> None:
        self.watchers: dict[int, int] = {}  # negotiation id -> number of open streams
        self.state: dict[int, tuple[int, str]] = {}
        self.events: dict[int, asyncio.Event] = {}
        self.task: asyncio.Task[None] | None = None
        # One thread (so one database connection) per process does all the poller's reads.
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="podium-poller")

    async def db(self, fn: Callable[..., T], *args: object) -> T:
        """Run `fn` (ORM work, synchronous) in the poller's database thread."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def close(self) -> None:
        """Close the poller's database connection (tests; a process exit does it anyway)."""
        await self.db(connections.close_all)

    def subscribe(self, pk: int) -> None:
        self.watchers[pk] = self.watchers.get(pk, 0) + 1
        self.events.setdefault(pk, asyncio.Event())
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self.run())

    def unsubscribe(self, pk: int) -> None:
        self.watchers[pk] -= 1
        if self.watchers[pk] <= 0:
            self.watchers.pop(pk, None)
            self.events.pop(pk, None)
            self.state.pop(pk, None)

    async def current(self, pk: int) -> tuple[int, str]:
        if pk not in self.state:
            self.state[pk] = await self.db(podium_state, pk)
        return self.state[pk]

    async def run(self) -> None:
        while self.watchers:
            try:
                await self.tick()
            except Exception:  # a failed read must not stop the podium; try again next tick
                log.exception("podium poller")
            await asyncio.sleep(POLL_SECONDS)
        self.task = None

    async def tick(self) -> None:
        ids = list(self.watchers)
        versions = await self.db(_versions, ids)
        for pk, v in versions.items():
            known = self.state.get(pk)
            if known is not None and known[0] == v:
                continue
            self.state[pk] = await self.db(podium_state, pk)
            event = self.events.get(pk)
            if event is not None:
                self.events[pk] = asyncio.Event()
                event.set()


def _versions(ids: list[int]) -> dict[int, int]:
    from django.db import close_old_connections

    close_old_connections()
    return dict(Negotiation.objects.filter(pk__in=ids).values_list("pk", "version"))


_pollers: dict[int, Poller] = {}


def poller() -> Poller:
    loop = asyncio.get_running_loop()
    key = id(loop)
    if key not in _pollers:
        _pollers[key] = Poller()
    return _pollers[key]


def _event(version: int, html: str) -> str:
    data = json.dumps({"version": version, "html": html})
    return f"event: text\nid: {version}\ndata: {data}\n\n"


@dataclass(frozen=True)
class Viewer:
    """Who holds a stream: enough to ask again, in the poller's thread, whether they still
    may read it (the session still signed in as them, the user still allowed)."""

    user_id: int
    session_key: str | None


def still_allowed(viewer: Viewer, pk: int) -> bool:
    """The session of the stream is still signed in as its user (not logged out, expired or
    cut by a password change) and the user still sees the negotiation."""
    from django.db import close_old_connections

    close_old_connections()
    if viewer.session_key is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(viewer.session_key)
    if str(store.get(SESSION_KEY, "")) != str(viewer.user_id):
        return False  # a deleted or expired session loads empty
    user = User.objects.filter(pk=viewer.user_id, is_active=True).first()
    if user is None or not constant_time_compare(
        str(store.get(HASH_SESSION_KEY, "")), user.get_session_auth_hash()
    ):
        return False
    negotiation = Negotiation.objects.filter(pk=pk).first()
    return negotiation is not None and policy.can_view(user, negotiation)


async def _stream(pk: int, last: int | None, viewer: Viewer | None = None) -> AsyncIterator[str]:
    """The events of one viewer. With a `viewer`, access is checked again before every text
    event and at least every CHECK_SECONDS: the stream ends when it is lost."""
    p = poller()
    p.subscribe(pk)

    async def allowed() -> bool:
        return viewer is None or await p.db(still_allowed, viewer, pk)

    try:
        yield "retry: 1000\n\n"
        version, html = await p.current(pk)
        if last != version:
            yield _event(version, html)
        sent = version
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        while True:
            event = p.events.get(pk)
            if event is None:
                return
            # A change the poller saw while this stream was busy sending is sent at once.
            version, html = p.state.get(pk, (sent, ""))
            if version == sent:
                try:
                    await asyncio.wait_for(event.wait(), min(CHECK_SECONDS, KEEPALIVE_SECONDS))
                except TimeoutError:
                    if not await allowed():
                        return
                    if loop.time() - quiet_since >= KEEPALIVE_SECONDS:
                        quiet_since = loop.time()
                        yield ": keepalive\n\n"
                    continue
                version, html = p.state.get(pk, (sent, ""))
            if version != sent:
                if not await allowed():
                    return
                sent = version
                quiet_since = loop.time()
                yield _event(version, html)
    finally:
        p.unsubscribe(pk)


def _authorized(request: HttpRequest, pk: int) -> bool:
    """The access rule, read in the poller's thread (see `stream`). A stream is a view of
    restricted text: its start writes one "view" row (via "podium-stream"; none per event,
    and none again for the same reader and revision within the hour, like the polls it
    replaces), through the audit's view path, which buffers rather than wait on or fail
    with a busy database. A refused stream is recorded as a denial."""
    negotiation = Negotiation.objects.filter(pk=pk).first()
    if negotiation is None:
        return False
    if not policy.can_view(request.user, negotiation):
        audit.record_view(obj=negotiation, request=request, action="view.denied")
        return False
    record_repeated_view(request.user, negotiation, request=request, via="podium-stream")
    return True


async def stream(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Server-Sent Events of the podium text. Only under ASGI (uvicorn): a WSGI server would
    hold a thread per viewer, so there it answers 204 and the page polls instead.

    The login middleware has read the session in this request's own thread, with a database
    connection of its own: it is closed at once, or every open stream would hold one for its
    whole life (200 viewers, more than a default PostgreSQL accepts). Everything after that
    runs in the poller's single database thread."""
    if not isinstance(request, ASGIRequest):
        return HttpResponse(status=204)
    await sync_to_async(connections.close_all)()
    p = poller()
    if not await p.db(_authorized, request, pk):
        return HttpResponse(_("Not found"), status=404)
    last = request.headers.get("Last-Event-ID")
    viewer = Viewer(
        user_id=int(getattr(request.user, "pk", 0) or 0),
        session_key=request.session.session_key,
    )
    response = StreamingHttpResponse(
        _stream(pk, int(last) if last and last.isdigit() and len(last) < 12 else None, viewer),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
