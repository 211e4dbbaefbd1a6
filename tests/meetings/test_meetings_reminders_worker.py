"""Across a real worker restart: issuing the convening note of an ICT working group meeting whose
registration closes in three days convenes it and schedules the registration reminder pass (a
task row); the worker mails the note and one reminder per unregistered delegation's contact;
a restarted worker and a second pass send nothing more. File SQLite in a temporary data dir."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

import processes
from secretariat.outbox.sink import smtp_sink

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SETUP = """
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from django.utils import timezone
from secretariat.demo.forum import load_forum
from secretariat.accounts.models import Body, User
from secretariat.communications import actions as notes
from secretariat.communications.models import Series
from secretariat.communications.seed import seed_house_style
from secretariat.meetings import actions
from secretariat.meetings.convening import do_draft_convening_note
load_forum()
seed_house_style()
sec = User.objects.get(username="secretariat")
zone = ZoneInfo("Asia/Almaty")
meeting = actions.do_create_meeting(actions.MeetingFields(
    title="ICT working group session", body=Body.objects.get(code="ICT-WG"),
    access_level="body", starts_at=datetime(2030, 6, 3, 10, tzinfo=zone),
    ends_at=datetime(2030, 6, 4, 18, tzinfo=zone), time_zone="Asia/Almaty", venue="Astana",
    registration_deadline=timezone.now() + timedelta(days=3)), actor=sec)
note = do_draft_convening_note(meeting, series=Series.objects.get(code="NV"), actor=sec)
notes.do_approve_note(note, actor=sec)
notes.do_issue_note(note, actor=sec)
"""

PASS_AGAIN = """
from secretariat.meetings.reminders import run_pass
print(len(run_pass()))
"""


def _query(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


REMINDERS = (
    "SELECT d.code, r.recipients FROM meetings_registrationreminder r "
    "JOIN accounts_delegation d ON d.id = r.delegation_id ORDER BY d.code"
)


def test_registration_reminders_once_across_a_worker_restart(tmp_path) -> None:
    with smtp_sink() as sink:
        env = processes.site_env(tmp_path, smtp_port=sink.port)
        processes.run("migrate", "-v0", env=env)
        processes.run("shell", "-c", SETUP, env=env)
        db = tmp_path / "secretariat.sqlite3"
        assert _query(db, "SELECT status FROM meetings_meeting") == [("convened",)]
        assert _query(db, REMINDERS) == []
        scheduled = _query(
            db,
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = "
            "'secretariat.meetings.tasks.registration_reminder_pass'",
        )
        assert scheduled == [("READY",)]

        worker = processes.start_worker(env)
        try:
            # the note verbale and the reminder, each to CHN's and RUS's delegate
            received = sink.wait_for(4, timeout=120)
        finally:
            processes.stop(worker, signal.SIGINT)
        assert sorted(r.rcpt_tos[0] for r in received) == [
            "chn@demo.secretariat.test",
            "chn@demo.secretariat.test",
            "rus@demo.secretariat.test",
            "rus@demo.secretariat.test",
        ]
        subjects = [str(r.message["Subject"]) for r in received]
        assert sum(s.startswith("Note NV/") for s in subjects) == 2, subjects
        assert sum(s.startswith("Registration closes") for s in subjects) == 2, subjects
        assert _query(db, REMINDERS) == [
            ("CHN", 1),
            ("IRAN", 0),
            ("KAZ", 0),
            ("RUS", 1),
            ("THA", 0),
        ]

        worker = processes.start_worker(env)
        try:
            time.sleep(3)
            printed = processes.run("shell", "-c", PASS_AGAIN, env=env)
            time.sleep(2)
        finally:
            processes.stop(worker, signal.SIGINT)
        assert printed.strip().splitlines()[-1] == "0"  # the second pass sent nothing
        assert len(sink.received) == 4
        assert len(_query(db, REMINDERS)) == 5
