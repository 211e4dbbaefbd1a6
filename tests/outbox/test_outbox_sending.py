"""Sending through a real SMTP server on loopback: the server down, 4xx and 5xx replies,
retrying from the outbox page, and batches over one connection."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat.core.models import AuditEvent
from secretariat.outbox.api import delivery_status, enqueue_email
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _enqueue(forum, names=("ind", "chn", "rus")) -> list[OutboundEmail]:
    return [
        row
        for name in names
        if (row := enqueue_email(forum[name], "tests.greeting", {"n": 1}, key=f"m-{name}"))
    ]


def test_server_down_then_up_everything_arrives_once(forum, settings, run_tasks) -> None:
    settings.EMAIL_PORT = _closed_port()
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    rows = _enqueue(forum)
    before = timezone.now()
    run_tasks()  # the real worker runs the sender task: nothing can be sent
    for row in OutboundEmail.objects.all():
        assert row.status == "queued"
        assert row.attempts == 1
        assert "cannot reach the mail server" in row.last_error
        assert row.next_attempt_at >= before + timedelta(seconds=59)
    # A sender task waits for the retry time, so a running worker will try again by itself.
    # (Another one waits for the claim's lease, in case the worker had died mid-send.)
    waiting = sorted(
        DBTaskResult.objects.filter(
            status="READY", task_path__endswith="send_due_emails"
        ).values_list("run_after", flat=True)
    )
    assert before + timedelta(seconds=59) <= waiting[0] <= timezone.now() + timedelta(seconds=61)

    # Still down at the next attempt: the wait doubles.
    later = timezone.now() + timedelta(seconds=61)
    send_due(now=later)
    row = OutboundEmail.objects.get(pk=rows[0].pk)
    assert row.attempts == 2
    assert row.next_attempt_at >= later + timedelta(seconds=119)

    from secretariat.outbox.sink import smtp_sink

    with smtp_sink() as sink:
        settings.EMAIL_PORT = sink.port
        report = send_due(now=later + timedelta(seconds=121))
        assert report.sent == 3
        assert send_due(now=later + timedelta(days=1)).sent == 0
        received = sink.wait_for(3)
    assert len(received) == 3
    assert sorted(r.message["Message-ID"] for r in received) == sorted(r.message_id for r in rows)
    assert set(delivery_status(r.key for r in rows).values()) == {"sent"}


def test_4xx_is_retried_later(forum, sink) -> None:
    seen: set[str] = set()

    def greylist(envelope) -> str | None:
        if envelope.rcpt_tos[0] in seen:
            return None
        seen.add(envelope.rcpt_tos[0])
        return "451 4.7.1 Greylisted, try again later"

    sink.set_on_data(greylist)
    _enqueue(forum, ("ind", "chn"))
    report = send_due()
    assert (report.sent, report.retried) == (0, 2)
    row = OutboundEmail.objects.get(key="m-ind")
    assert row.status == "queued" and row.attempts == 1
    assert row.last_error.startswith("451")
    assert send_due().sent == 0  # not due yet
    report = send_due(now=timezone.now() + timedelta(hours=1))
    assert report.sent == 2
    assert len(sink.received) == 2
    assert OutboundEmail.objects.get(key="m-ind").attempts == 2


def test_5xx_fails_with_the_reason_and_the_secretariat_retries(forum, sink, client_for) -> None:
    refuse = {"chn@demo.secretariat.test"}

    def bounce(envelope) -> str | None:
        return "550 5.1.1 Mailbox unavailable" if envelope.rcpt_tos[0] in refuse else None

    sink.set_on_data(bounce)
    _enqueue(forum, ("ind", "chn"))
    report = send_due()
    assert (report.sent, report.failed) == (1, 1)
    failed = OutboundEmail.objects.get(key="m-chn")
    assert failed.status == "failed"
    assert failed.last_error == "550 5.1.1 Mailbox unavailable"

    # The outbox page shows it with the reason, to the secretariat only.
    page = client_for("secretariat").get("/outbox/?status=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert "chn@demo.secretariat.test" in html and "550 5.1.1 Mailbox unavailable" in html
    assert "ind@demo.secretariat.test" not in html

    # Not the secretariat: not even the existence of the page or the message.
    for name in ("ind", "observer", "chair"):
        assert client_for(name).get("/outbox/").status_code == 404
        assert client_for(name).post(f"/outbox/{failed.pk}/retry/").status_code == 404
    assert OutboundEmail.objects.get(pk=failed.pk).status == "failed"

    refuse.clear()
    response = client_for("secretariat").post(f"/outbox/{failed.pk}/retry/")
    assert response.status_code == 302
    assert OutboundEmail.objects.get(pk=failed.pk).status == "queued"
    event = AuditEvent.objects.get(action="outbox.retry")
    assert event.actor == forum["secretariat"]
    assert event.detail["old"] == "failed"
    assert send_due().sent == 1
    assert sorted(r.rcpt_tos[0] for r in sink.received) == [
        "chn@demo.secretariat.test",
        "ind@demo.secretariat.test",
    ]
    # Retrying a sent message is refused.
    client_for("secretariat").post(f"/outbox/{failed.pk}/retry/")
    assert AuditEvent.objects.filter(action="outbox.retry").count() == 1


def test_outbox_page_filters_and_paginates(forum, client_for) -> None:
    for i in range(55):
        enqueue_email(forum["ind"], "tests.greeting", {"n": i}, key=f"p-{i}")
    c = client_for("secretariat")
    first = c.get("/outbox/").content.decode()
    assert "Page 1 of 2" in first
    assert first.count("ind@demo.secretariat.test") == 50
    assert "No messages." in c.get("/outbox/?status=sent").content.decode()
    assert c.get("/outbox/?status=bogus").status_code == 200  # an invalid filter shows all


def test_a_batch_uses_one_connection(forum, sink, settings) -> None:
    settings.OUTBOX_BATCH_SIZE = 10
    connections: list[str] = []
    original = sink._handler.handle_DATA

    async def count(server, session, envelope):
        connections.append(repr(session.peer))
        return await original(server, session, envelope)

    sink._handler.handle_DATA = count
    for i in range(25):
        enqueue_email(forum["ind"], "tests.greeting", {"n": i}, key=f"b-{i}")
    assert send_due().sent == 25
    assert len(connections) == 25
    assert len(set(connections)) == 3  # 10 + 10 + 5 messages, one connection each


def test_two_senders_never_claim_the_same_row(forum) -> None:
    from secretariat.outbox.sending import claim_batch

    _enqueue(forum)
    first = claim_batch(10)
    second = claim_batch(10)
    assert len(first.rows) == 3
    assert second.rows == []
