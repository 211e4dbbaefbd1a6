"""A real `secretariat worker` process, killed with SIGKILL after the SMTP server accepted one
message and while it waits for the server's answer to the next, never sends the accepted one
again; the one it had not finished goes out once, after the lease, from a restarted worker.

Runs on a file SQLite database in a temporary data directory (whatever the suite runs on),
like the other process tests."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

import processes
from secretariat.outbox.sink import smtp_sink

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SETUP = """
from secretariat.demo.forum import load_forum
from secretariat.accounts.models import User
from secretariat.notifications.actions import notify
load_forum()
users = [User.objects.get(username=n) for n in ("ind", "chn")]
notify(users, "negotiation.amendment", url="/n/1/",
       params={"code": "RUS", "label": "para 3", "title": "Declaration"}, key="kill-test")
"""


def _rows(db: Path) -> dict[str, tuple[str, int]]:
    con = sqlite3.connect(db)
    try:
        return {
            to: (status, attempts)
            for to, status, attempts in con.execute(
                "SELECT to_address, status, attempts FROM outbox_outboundemail"
            )
        }
    finally:
        con.close()


def test_worker_killed_mid_batch_sends_no_second_copy(tmp_path) -> None:
    arrived_second = threading.Event()
    release = threading.Event()
    calls: list[str] = []

    def hold_the_second(envelope) -> str | None:
        calls.append(envelope.rcpt_tos[0])
        if envelope.rcpt_tos[0] == "chn@demo.secretariat.test" and not arrived_second.is_set():
            # The worker has sent DATA and waits for our reply: catch it there.
            arrived_second.set()
            release.wait(30)
            return "421 4.3.2 Shutting down"
        return None

    with smtp_sink() as sink:
        sink.set_on_data(hold_the_second)
        env = processes.site_env(
            tmp_path, smtp_port=sink.port, extra={"SECRETARIAT_MAIL_LEASE_SECONDS": "3"}
        )
        processes.run("migrate", "-v0", env=env)
        processes.run("shell", "-c", SETUP, env=env)
        db = tmp_path / "secretariat.sqlite3"
        assert {s for s, _ in _rows(db).values()} == {"queued"}

        worker = processes.start_worker(env)
        try:
            assert arrived_second.wait(60), "the worker never reached the second message"
            first = sink.wait_for(1)
            assert [r.rcpt_tos for r in first] == [("ind@demo.secretariat.test",)]
            # The accepted message was recorded before the next one was written.
            assert _rows(db)["ind@demo.secretariat.test"] == ("sent", 1)
            assert _rows(db)["chn@demo.secretariat.test"] == ("sending", 1)
        finally:
            processes.stop(worker, signal.SIGKILL, timeout=10)
            release.set()

        # A new worker picks the unfinished message up once the lease has expired.
        worker = processes.start_worker(env)
        try:
            received = sink.wait_for(2, timeout=60)
        finally:
            processes.stop(worker, signal.SIGINT, timeout=20)
        time.sleep(0.2)
        received = sink.received

    assert sorted(r.rcpt_tos[0] for r in received) == [
        "chn@demo.secretariat.test",
        "ind@demo.secretariat.test",
    ]
    assert calls.count("ind@demo.secretariat.test") == 1  # never sent again
    assert len({r.message["Message-ID"] for r in received}) == 2
    rows = _rows(db)
    assert rows["ind@demo.secretariat.test"] == ("sent", 1)
    assert rows["chn@demo.secretariat.test"] == ("sent", 2)
