"""The podium's live channel: the per-process poller wakes every stream on a change; in each
demo forum (CICA and ASEM)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from secretariat.negotiation import actions, podium


@pytest.fixture
def forum(each_forum):
    """Every test here runs in both demo forums, CICA and ASEM (tests/conftest.py's casts)."""
    return each_forum


@pytest.mark.django_db(transaction=True)
def test_streams_get_the_chairs_edit_within_a_second(small, forum, monkeypatch):
    monkeypatch.setattr(podium, "KEEPALIVE_SECONDS", 5.0)

    async def scenario() -> list[tuple[int, str]]:
        streams = [podium._stream(small.pk, None) for _ in range(3)]
        for s in streams:
            assert await anext(s) == "retry: 1000\n\n"
            first = await anext(s)
            assert first.startswith("event: text\nid: ")
        loop = asyncio.get_running_loop()
        t0 = loop.time()

        def edit() -> None:
            try:
                working = actions.working_revision(small)
                actions.do_resolve_bracket(
                    small, working, bracket_id="PP2-b1", keep=False, actor=forum["chair"]
                )
            finally:
                connections.close_all()

        await loop.run_in_executor(None, edit)
        events = await asyncio.gather(*(asyncio.wait_for(anext(s), 2) for s in streams))
        assert loop.time() - t0 < 1.5
        for s in streams:
            await s.aclose()
        await podium.poller().close()
        return events

    # A loop of its own in a thread: the browser tests leave one running in this thread.
    with ThreadPoolExecutor(1) as pool:
        events = pool.submit(asyncio.run, scenario()).result(timeout=30)
    small.refresh_from_db()
    for event in events:
        assert f"id: {small.version}\n" in event
        assert "and to its purposes" not in event  # the dropped bracket is gone


def test_the_stream_answers_204_under_wsgi_so_the_page_polls(small, client_for):
    r = client_for("ind").get(f"/negotiations/{small.pk}/podium/stream/")
    assert r.status_code == 204


@pytest.mark.django_db(transaction=True)
def test_the_stream_checks_login_and_access_under_asgi(start_negotiation, forum):
    from django.test import AsyncClient

    neg = start_negotiation("(a) Text [words] (-RUS);\n", body="ICT-WG")

    async def scenario() -> dict[str, tuple[int, str]]:
        out = {}
        for who in (None, "isr", "rus", "rus"):
            client = AsyncClient()
            if who:
                await client.aforce_login(forum[who])
            response = await client.get(f"/negotiations/{neg.pk}/podium/stream/")
            first = ""
            if response.status_code == 200:
                iterator = aiter(response.streaming_content)
                first = (await anext(iterator)).decode() + (await anext(iterator)).decode()
                await iterator.aclose()
            out[str(who)] = (response.status_code, first)
        await podium.poller().close()
        await sync_to_async(connections.close_all)()  # the test client's own thread
        return out

    with ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, scenario()).result(timeout=30)
    assert got["None"][0] == 302  # to the login page
    assert got["isr"][0] == 404  # ISR (ASEM: DEU) does not sit in the body
    assert got["rus"][0] == 200 and "event: text" in got["rus"][1]
    # Two streams of the same reader within the hour: one "view" in the audit log.
    from secretariat.core.models import AuditEvent

    views = AuditEvent.objects.filter(action="view", object_id=str(neg.pk))
    assert list(views.values_list("actor__username", flat=True)) == ["rus"]
