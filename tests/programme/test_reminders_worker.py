"""Across a real worker restart: the scheduled reminder pass (a task row with run_after,
enqueued when the secretariat set the cycle) sends one reminder per lead for the cycle, and a
restarted worker plus a manual pass send nothing more. File SQLite in a temporary data dir."""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from pathlib import Path

import pytest

import processes
from secretariat.outbox.sink import smtp_sink

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SETUP = """
from datetime import date, timedelta
from django.utils import timezone
from secretariat.demo.forum import load_forum
from secretariat.accounts.models import Delegation, User
from secretariat.programme import actions
load_forum()
sec = User.objects.get(username="secretariat")
cbm = actions.do_create_initiative(
    "CBM: Security of and in the use of ICTs", area=None,
    leads=[Delegation.objects.get(code="CHN"), Delegation.objects.get(code="RUS")],
    joined_on=date(2023, 1, 1), status="ongoing", actor=sec)
actions.do_set_reporting_cycle(
    cbm, start_on=timezone.localdate() + timedelta(days=3), every_months=6, remind_days=14,
    actor=sec)
"""


def _reminders(db: Path) -> list[tuple[int, str, int]]:
    con = sqlite3.connect(db)
    try:
        return list(con.execute("SELECT cycle, kind, recipients FROM programme_reminder"))
    finally:
        con.close()


def test_one_reminder_per_cycle_across_a_worker_restart(tmp_path) -> None:
    with smtp_sink() as sink:
        env = processes.site_env(tmp_path, smtp_port=sink.port)
        processes.run("migrate", "-v0", env=env)
        processes.run("shell", "-c", SETUP, env=env)
        db = tmp_path / "secretariat.sqlite3"
        assert _reminders(db) == []

        worker = processes.start_worker(env)
        try:
            received = sink.wait_for(2, timeout=90)
        finally:
            processes.stop(worker, signal.SIGINT)
        assert sorted(r.rcpt_tos[0] for r in received) == [
            "chn@demo.secretariat.test",
            "rus@demo.secretariat.test",
        ]
        assert _reminders(db) == [(0, "before", 2)]

        # A restarted worker (the next pass is a row due tomorrow) and a manual pass now.
        worker = processes.start_worker(env)
        try:
            time.sleep(3)
            printed = processes.run("initiatives", "remind", "--json", env=env)
            time.sleep(2)
        finally:
            processes.stop(worker, signal.SIGINT)
        assert json.loads(printed) == []
        assert len(sink.received) == 2
        assert _reminders(db) == [(0, "before", 2)]
