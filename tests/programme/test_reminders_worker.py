"""Across a real worker restart: the scheduled reminder pass (a task row with run_after,
enqueued when the secretariat set the cycle) sends one reminder per lead for the cycle, and a
restarted worker plus a manual pass send nothing more. File SQLite in a temporary data dir."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

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


def _env(data_dir: Path, port: int) -> dict[str, str]:
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env |= {
        "SECRETARIAT_DATA_DIR": str(data_dir),
        "SECRETARIAT_SMTP_HOST": "127.0.0.1",
        "SECRETARIAT_SMTP_PORT": str(port),
    }
    return env


def _run(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "secretariat", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "secretariat", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen[str]) -> None:
    os.killpg(worker.pid, signal.SIGINT)
    worker.wait(30)


def _reminders(db: Path) -> list[tuple[int, str, int]]:
    con = sqlite3.connect(db)
    try:
        return list(con.execute("SELECT cycle, kind, recipients FROM programme_reminder"))
    finally:
        con.close()


def test_one_reminder_per_cycle_across_a_worker_restart(tmp_path) -> None:
    with smtp_sink() as sink:
        env = _env(tmp_path, sink.port)
        _run("migrate", "-v0", env=env)
        _run("shell", "-c", SETUP, env=env)
        db = tmp_path / "secretariat.sqlite3"
        assert _reminders(db) == []

        worker = _worker(env)
        try:
            received = sink.wait_for(2, timeout=90)
        finally:
            _stop(worker)
        assert sorted(r.rcpt_tos[0] for r in received) == [
            "chn@demo.secretariat.test",
            "rus@demo.secretariat.test",
        ]
        assert _reminders(db) == [(0, "before", 2)]

        # A restarted worker (the next pass is a row due tomorrow) and a manual pass now.
        worker = _worker(env)
        try:
            time.sleep(3)
            printed = _run("initiatives", "remind", "--json", env=env)
            time.sleep(2)
        finally:
            _stop(worker)
        assert json.loads(printed) == []
        assert len(sink.received) == 2
        assert _reminders(db) == [(0, "before", 2)]
