"""No lost task, no lost deadline: worker leases, the reaper, overdue deadlines, stuck tasks.

Leases. Every `secretariat worker` has an id (written into each task it claims, in
django-tasks-db's `worker_ids`) and a `WorkerHeartbeat` row it refreshes every
`TASK_HEARTBEAT_SECONDS`. A worker is dead when its process no longer exists on this host, or
(on another host, where the process cannot be seen) when its heartbeat is older than
`TASK_STALE_SECONDS`. Checking the process on the same host matters: a live worker whose
heartbeat thread waits behind a long SQLite write lock must not have its task taken away.

Reaping. `reap_stale_tasks()` puts a RUNNING task of a dead worker back to READY with a
conditional update (two reapers never both take it) and an audit row; a live worker then runs
it again. Tasks are idempotent, so a task that had half-run is safe to run again.

Deadlines. An app registers a finder of its overdue deadlines in its `AppConfig.ready()`
(`register_deadlines("negotiation.silence", finder)`); core imports no app. A deadline still
open `TASK_DEADLINE_GRACE_SECONDS` after it fell due, with no READY or RUNNING task that would
close it, gets its task enqueued again by `sweep_overdue_deadlines()` (the task failed, its row
was pruned, or the database refused it). Workers run the reaper and the sweep every
`TASK_REAP_SECONDS`; `secretariat tasks reap` runs them once.

Housekeeping. An app registers a chore (`register_housekeeping("documents.pending", sweep,
every_seconds=3600)`), such as removing files its users walked away from; each worker runs
every chore when it starts and then at most every `every_seconds`, within its maintenance
(`run_housekeeping`). Chores are idempotent: two workers running one at once is harmless.

`stuck_report()` is what the secretariat sees: dead workers' tasks, failed tasks, tasks waiting
far past their time (no worker running), and overdue deadlines.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from secretariat.core import audit
from secretariat.core.models import WorkerHeartbeat

logger = logging.getLogger("secretariat.tasks")

HOST = socket.gethostname()[:255]


def heartbeat_seconds() -> float:
    return float(getattr(settings, "TASK_HEARTBEAT_SECONDS", 10))


def stale_seconds() -> float:
    return float(getattr(settings, "TASK_STALE_SECONDS", 60))


def reap_seconds() -> float:
    return float(getattr(settings, "TASK_REAP_SECONDS", 30))


def grace_seconds() -> float:
    return float(getattr(settings, "TASK_DEADLINE_GRACE_SECONDS", 60))


# --- leases ----------------------------------------------------------------------------------
def beat(worker_id: str, *, started_at: datetime | None = None) -> None:
    """Write or refresh this process's heartbeat row."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": HOST, "pid": os.getpid(), "beat_at": now},
        create_defaults={
            "host": HOST,
            "pid": os.getpid(),
            "beat_at": now,
            "started_at": started_at or now,
        },
    )


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def process_exists(pid: int) -> bool:
    """Whether a process with this id runs here (a zombie, killed but not yet waited for,
    counts as dead)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in {"Z", "X"}


def is_alive(heartbeat: WorkerHeartbeat, now: datetime) -> bool:
    if heartbeat.host == HOST:
        return process_exists(heartbeat.pid)
    return heartbeat.beat_at >= now - timedelta(seconds=stale_seconds())


def live_worker_ids(now: datetime | None = None) -> set[str]:
    now = now or timezone.now()
    return {hb.worker_id for hb in WorkerHeartbeat.objects.all() if is_alive(hb, now)}


def _owner(result: DBTaskResult) -> str:
    return result.worker_ids[-1] if result.worker_ids else ""


def orphaned_tasks(now: datetime | None = None) -> list[DBTaskResult]:
    """RUNNING tasks whose worker is dead (a worker without a heartbeat row counts as dead once
    the task has run longer than the stale period: it predates leases or lost its row)."""
    now = now or timezone.now()
    heartbeats = {hb.worker_id: hb for hb in WorkerHeartbeat.objects.all()}
    stale_before = now - timedelta(seconds=stale_seconds())
    orphans = []
    for result in DBTaskResult.objects.running().order_by("started_at"):
        hb = heartbeats.get(_owner(result))
        if hb is not None:
            if not is_alive(hb, now):
                orphans.append(result)
        elif result.started_at is None or result.started_at < stale_before:
            orphans.append(result)
    return orphans


def reap_stale_tasks(now: datetime | None = None) -> list[str]:
    """Put the tasks of dead workers back in the queue; drop dead workers' heartbeats.
    Returns the ids of the tasks put back."""
    now = now or timezone.now()
    reaped = []
    for result in orphaned_tasks(now):
        with transaction.atomic():
            taken = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
            if taken:
                audit.record(
                    "task.reaped",
                    actor_name="system",
                    task=result.task_path,
                    task_id=str(result.pk),
                    worker=_owner(result),
                    started_at=result.started_at.isoformat() if result.started_at else None,
                )
                reaped.append(str(result.pk))
                logger.warning(
                    "Task %s (%s) of dead worker %s put back in the queue",
                    result.pk,
                    result.task_path,
                    _owner(result),
                )
    dead = [hb.pk for hb in WorkerHeartbeat.objects.all() if not is_alive(hb, now)]
    if dead:  # (a delete opens a write transaction even when it matches nothing)
        WorkerHeartbeat.objects.filter(pk__in=dead).delete()
    return reaped


def release_own_tasks(worker_id: str) -> int:
    """After this worker lost its database mid-task: its RUNNING rows go back to READY."""
    count = 0
    for result in DBTaskResult.objects.running():
        if _owner(result) == worker_id:
            count += DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
    return count


# --- deadlines -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Deadline:
    """One open deadline an app knows of: when it falls due and the task that closes it."""

    kind: str
    label: str
    due_at: datetime
    task: Task[Any, Any]
    args: tuple[Any, ...] = ()
    url: str = ""


DeadlineFinder = Callable[[datetime], Iterable[Deadline]]
_finders: dict[str, DeadlineFinder] = {}


def register_deadlines(kind: str, finder: DeadlineFinder) -> None:
    """Called from an app's `AppConfig.ready()`: `finder(now)` yields the deadlines of that kind
    that are due (due_at <= now) and still open."""
    _finders[kind] = finder


def unregister_deadlines(kind: str) -> None:
    _finders.pop(kind, None)


def overdue_deadlines(now: datetime | None = None) -> list[Deadline]:
    now = now or timezone.now()
    found: list[Deadline] = []
    for finder in list(_finders.values()):
        found.extend(d for d in finder(now) if d.due_at <= now)
    return sorted(found, key=lambda d: d.due_at)


def _pending(deadline: Deadline) -> bool:
    """A READY or RUNNING task would close it already."""
    path = deadline.task.module_path
    args = list(deadline.args)
    return any(
        r.args_kwargs.get("args") == args
        for r in DBTaskResult.objects.filter(
            task_path=path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )
    )


def sweep_overdue_deadlines(now: datetime | None = None) -> list[Deadline]:
    """Enqueue again the task of each deadline still open past its grace period and with no
    task pending. Returns the deadlines it enqueued."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=grace_seconds())
    resumed = []
    for deadline in overdue_deadlines(now):
        if deadline.due_at > cutoff or _pending(deadline):
            continue
        with transaction.atomic():
            deadline.task.enqueue(*deadline.args)
            audit.record(
                "task.deadline.resumed",
                actor_name="system",
                kind=deadline.kind,
                label=deadline.label,
                due_at=deadline.due_at.isoformat(),
                task=deadline.task.module_path,
                args=list(deadline.args),
            )
        logger.warning("Overdue %s (%s): its task is enqueued again", deadline.kind, deadline.label)
        resumed.append(deadline)
    return resumed


# --- housekeeping -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Chore:
    """Periodic clean-up an app asks the workers to run: `run()` returns how much it did."""

    name: str
    run: Callable[[], Any]
    every_seconds: float


_chores: dict[str, Chore] = {}


def register_housekeeping(name: str, run: Callable[[], Any], *, every_seconds: float) -> None:
    """Called from an app's `AppConfig.ready()`."""
    _chores[name] = Chore(name, run, every_seconds)


def unregister_housekeeping(name: str) -> None:
    _chores.pop(name, None)


def run_housekeeping(last_run: dict[str, float], clock: float) -> list[str]:
    """Run each registered chore not run since `every_seconds` before `clock` (a monotonic
    time; `last_run` is the caller's record, per worker). A failing chore is logged and does not
    stop the others. The names of the chores run."""
    ran = []
    for chore in list(_chores.values()):
        previous = last_run.get(chore.name)
        if previous is not None and clock - previous < chore.every_seconds:
            continue
        last_run[chore.name] = clock
        try:
            chore.run()
        except Exception:
            logger.exception("Housekeeping %s failed", chore.name)
        ran.append(chore.name)
    return ran


# --- what the secretariat sees ----------------------------------------------------------------
@dataclass(frozen=True)
class TaskLine:
    id: str
    task: str
    status: str
    since: datetime | None
    worker: str
    error: str = ""


@dataclass
class StuckReport:
    orphaned: list[TaskLine] = field(default_factory=list)
    failed: list[TaskLine] = field(default_factory=list)
    waiting: list[TaskLine] = field(default_factory=list)
    overdue: list[Deadline] = field(default_factory=list)
    live_workers: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.orphaned or self.failed or self.waiting or self.overdue)


def _line(r: DBTaskResult, since: datetime | None) -> TaskLine:
    error = r.exception_class_path.rsplit(".", 1)[-1] if r.exception_class_path else ""
    return TaskLine(str(r.pk), r.task_path, r.status, since, _owner(r), error)


def stuck_report(
    now: datetime | None = None, *, failed_days: int = 7, waiting_minutes: int = 10
) -> StuckReport:
    """Tasks that need someone to look: orphaned (dead worker), failed in the last
    `failed_days`, due more than `waiting_minutes` ago and not started (no worker is running),
    and deadlines past due that are still open."""
    now = now or timezone.now()
    report = StuckReport(live_workers=len(live_worker_ids(now)))
    report.orphaned = [_line(r, r.started_at) for r in orphaned_tasks(now)]
    report.failed = [
        _line(r, r.finished_at)
        for r in DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(days=failed_days))
        .order_by("-finished_at")[:100]
    ]
    report.waiting = [
        _line(r, r.run_after if r.run_after.year < 9999 else r.enqueued_at)
        for r in DBTaskResult.objects.ready()
        .filter(enqueued_at__lte=now - timedelta(minutes=waiting_minutes))
        .order_by("enqueued_at")[:100]
        if (r.run_after if r.run_after.year < 9999 else r.enqueued_at)
        <= now - timedelta(minutes=waiting_minutes)
    ]
    report.overdue = [
        d for d in overdue_deadlines(now) if d.due_at <= now - timedelta(seconds=grace_seconds())
    ]
    return report
