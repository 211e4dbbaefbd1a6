"""The reaper and the overdue-deadline sweep, in process, with the real negotiation models
(the negotiation app registers its silence deadlines in its AppConfig.ready())."""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta

from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from secretariat.core import reaper
from secretariat.core.models import AuditEvent, WorkerHeartbeat
from secretariat.core.tasks import worker_selftest

TEXT = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""


def open_silence(forum: dict, minutes_ago: float):
    from secretariat.accounts.models import Body
    from secretariat.negotiation import actions

    negotiation = actions.do_import_negotiation(
        title="Draft statement",
        body=Body.objects.get(code="SWG"),
        text=TEXT,
        actor=forum["secretariat"],
    )
    from secretariat.negotiation.models import SilenceProcedure

    silence = actions.do_open_silence(
        negotiation, deadline=timezone.now() + timedelta(hours=1), actor=forum["chair"]
    )
    # The deadline has passed since (moved in the database: the product refuses a past one).
    SilenceProcedure.objects.filter(pk=silence.pk).update(
        deadline=timezone.now() - timedelta(minutes=minutes_ago)
    )
    silence.refresh_from_db()
    return silence


def silence_task(silence) -> DBTaskResult:
    return next(
        r
        for r in DBTaskResult.objects.filter(task_path__endswith="end_silence_procedure")
        if r.args_kwargs["args"] == [silence.pk]
    )


def test_an_overdue_silence_whose_task_failed_is_enqueued_again_and_adopted_once(
    forum, run_tasks
) -> None:
    from secretariat.negotiation.models import Decision

    silence = open_silence(forum, minutes_ago=5)
    # The deadline task met a locked database and failed (as the library's worker records it).
    silence_task(silence).set_failed(OperationalError("database is locked"))

    report = reaper.stuck_report()
    assert [line.error for line in report.failed] == ["OperationalError"]
    assert [d.args for d in report.overdue] == [(silence.pk,)]

    resumed = reaper.sweep_overdue_deadlines()
    assert [d.label for d in resumed] == [str(silence)]
    assert reaper.sweep_overdue_deadlines() == []  # its task is pending now
    event = AuditEvent.objects.get(action="task.deadline.resumed")
    assert event.detail["args"] == [silence.pk]

    run_tasks()
    silence.refresh_from_db()
    assert silence.state == "ended"
    assert (
        Decision.objects.filter(negotiation=silence.negotiation, kind="adopted_by_silence").count()
        == 1
    )
    assert reaper.sweep_overdue_deadlines() == []
    assert reaper.stuck_report().overdue == []


def test_a_deadline_within_its_grace_period_is_left_to_its_own_task(forum) -> None:
    silence = open_silence(forum, minutes_ago=0.2)
    silence_task(silence).set_failed(OperationalError("database is locked"))
    assert reaper.sweep_overdue_deadlines() == []
    assert reaper.stuck_report().overdue == []


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def claimed_by(worker_id: str) -> DBTaskResult:
    worker_selftest.enqueue(f"t-{worker_id}")
    result = DBTaskResult.objects.get(args_kwargs__args=[f"t-{worker_id}"])
    result.claim(worker_id)
    return result


def test_the_reaper_puts_back_only_the_tasks_of_dead_workers(db) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="dead-here", host=reaper.HOST, pid=dead_pid(), started_at=now, beat_at=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="alive-here", host=reaper.HOST, pid=os.getpid(), started_at=now, beat_at=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="silent-elsewhere",
        host="another-host",
        pid=1,
        started_at=now,
        beat_at=now - timedelta(minutes=5),
    )
    WorkerHeartbeat.objects.create(
        worker_id="beating-elsewhere", host="another-host", pid=1, started_at=now, beat_at=now
    )
    tasks = {w: claimed_by(w) for w in WorkerHeartbeat.objects.values_list("worker_id", flat=True)}

    reaped = set(reaper.reap_stale_tasks())
    assert reaped == {str(tasks["dead-here"].pk), str(tasks["silent-elsewhere"].pk)}
    for worker, result in tasks.items():
        result.refresh_from_db()
        expected = "READY" if str(result.pk) in reaped else "RUNNING"
        assert result.status == expected, worker
    assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
        "alive-here",
        "beating-elsewhere",
    }
    assert AuditEvent.objects.filter(action="task.reaped").count() == 2
    assert reaper.reap_stale_tasks() == []  # a second reaper finds nothing


def test_the_stuck_list_shows_a_dead_workers_task_and_tasks_no_worker_takes(db) -> None:
    claimed_by("gone-without-a-trace")  # no heartbeat row at all
    worker_selftest.enqueue("waiting")
    report = reaper.stuck_report(timezone.now() + timedelta(minutes=30))
    assert [line.worker for line in report.orphaned] == ["gone-without-a-trace"]
    assert [line.task for line in report.waiting] == ["secretariat.core.tasks.worker_selftest"]
    assert report.live_workers == 0
    assert not report.is_empty
