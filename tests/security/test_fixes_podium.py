"""Issue 9, part A, item 6: a podium stream ends when its viewer logs out or loses access,
before it delivers another change of the text. Run through the ASGI application (Django's
AsyncClient drives the real ASGI handler), with Django's async-safety check on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from secretariat.negotiation import actions, podium

pytestmark = pytest.mark.django_db(transaction=True)


def _edit(negotiation, chair) -> None:
    """The chair drops a bracket (in a thread of its own, as another web process would)."""
    try:
        working = actions.working_revision(negotiation)
        actions.do_resolve_bracket(
            negotiation, working, bracket_id="PP2-b1", keep=False, actor=chair
        )
    finally:
        connections.close_all()


async def _rest(iterator: AsyncIterator[bytes], seconds: float) -> list[str]:
    """Everything the stream sends until it ends (or `seconds` pass: then the test fails)."""
    out: list[str] = []

    async def drain() -> None:
        async for chunk in iterator:
            out.append(chunk.decode())

    await asyncio.wait_for(drain(), seconds)
    return out


def _run(scenario) -> object:
    # A loop of its own in a thread: the browser tests leave one running in this thread.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result(timeout=60)


async def _open(client, pk: int) -> AsyncIterator[bytes]:
    response = await client.get(f"/negotiations/{pk}/podium/stream/")
    assert response.status_code == 200
    iterator = aiter(response.streaming_content)
    assert (await anext(iterator)).decode() == "retry: 1000\n\n"
    assert (await anext(iterator)).decode().startswith("event: text\n")
    return iterator


def test_the_stream_ends_on_logout_before_the_next_edit(small, forum, monkeypatch):
    from django.test import AsyncClient

    monkeypatch.setattr(podium, "CHECK_SECONDS", 60.0)  # only the check on the event itself

    async def scenario() -> tuple[list[str], list[str]]:
        leaving, staying = AsyncClient(), AsyncClient()
        await leaving.aforce_login(forum["ind"])
        await staying.aforce_login(forum["chn"])
        gone, kept = await _open(leaving, small.pk), await _open(staying, small.pk)
        await leaving.alogout()
        await asyncio.get_running_loop().run_in_executor(None, _edit, small, forum["chair"])
        after_logout = await _rest(gone, 5)
        still = (await asyncio.wait_for(anext(kept), 5)).decode()
        await kept.aclose()
        await podium.poller().close()
        await sync_to_async(connections.close_all)()
        return after_logout, [still]

    after_logout, still = _run(scenario)
    assert after_logout == []  # ended, and the chair's edit was not sent
    assert still[0].startswith("event: text\n") and "and to its purposes" not in still[0]


def test_a_quiet_stream_ends_within_seconds_of_logout(small, forum, monkeypatch):
    from django.test import AsyncClient

    monkeypatch.setattr(podium, "CHECK_SECONDS", 0.3)

    async def scenario() -> tuple[list[str], float]:
        client = AsyncClient()
        await client.aforce_login(forum["ind"])
        stream = await _open(client, small.pk)
        loop = asyncio.get_running_loop()
        await client.alogout()
        t0 = loop.time()
        rest = await _rest(stream, 5)
        took = loop.time() - t0
        await podium.poller().close()
        await sync_to_async(connections.close_all)()
        return rest, took

    rest, took = _run(scenario)
    assert rest == [] and took < 3


def test_the_stream_ends_when_the_delegation_leaves_the_body(start_negotiation, forum):
    from django.test import AsyncClient

    from secretariat.accounts.models import Body

    neg = start_negotiation(body="ICT-WG")

    def leave() -> None:
        try:
            Body.objects.get(code="ICT-WG").members.remove(forum["rus"].delegation)
        finally:
            connections.close_all()

    async def scenario() -> list[str]:
        client = AsyncClient()
        await client.aforce_login(forum["rus"])
        stream = await _open(client, neg.pk)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, leave)
        await loop.run_in_executor(None, _edit, neg, forum["chair"])
        rest = await _rest(stream, 5)
        await podium.poller().close()
        await sync_to_async(connections.close_all)()
        return rest

    assert _run(scenario) == []


def _keep(negotiation, chair, bracket: str) -> None:
    try:
        working = actions.working_revision(negotiation)
        actions.do_resolve_bracket(negotiation, working, bracket_id=bracket, keep=True, actor=chair)
    finally:
        connections.close_all()


def test_a_stream_start_writes_one_view_row_not_one_per_event(start_negotiation, forum):
    """Issue 9 leftovers, item 1: the stream shows restricted text, so its start is a
    recorded view (with the reader's address); the events it then sends add no row; a
    refused stream is recorded as a denial."""
    from django.test import AsyncClient

    from secretariat.core.models import AuditEvent

    text = (
        "DRAFT STATEMENT\n\n"
        "PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);\n\n"
        "OP1. We hereby launch [the negotiations] (-CHN) process.\n"
    )
    neg = start_negotiation(text, body="ICT-WG")

    async def scenario() -> tuple[list[str], int]:
        reader, outsider = AsyncClient(), AsyncClient()
        await reader.aforce_login(forum["rus"])
        await outsider.aforce_login(forum["isr"])
        refused = await outsider.get(f"/negotiations/{neg.pk}/podium/stream/")
        stream = await _open(reader, neg.pk)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, _edit, neg, forum["chair"])
        events = [(await asyncio.wait_for(anext(stream), 5)).decode()]
        await loop.run_in_executor(None, _keep, neg, forum["chair"], "OP1-b1")
        events.append((await asyncio.wait_for(anext(stream), 5)).decode())
        await stream.aclose()
        await podium.poller().close()
        await sync_to_async(connections.close_all)()
        return events, refused.status_code

    events, refused = _run(scenario)
    assert refused == 404
    assert all(e.startswith("event: text\n") for e in events) and len(events) == 2
    views = AuditEvent.objects.filter(action="view", object_id=str(neg.pk), actor_name="rus")
    assert views.count() == 1
    row = views.get()
    assert row.detail["via"] == "podium-stream" and row.ip_address == "127.0.0.1"
    denied = AuditEvent.objects.get(action="view.denied", object_id=str(neg.pk))
    assert denied.actor_name == "isr"
