"""The `secretariat worker` loop: django-tasks-db's worker, made to survive its database.

What it adds to `db_worker`:

- a lease: a heartbeat row refreshed by a thread (`core.reaper`), deleted on a clean stop;
- every `TASK_REAP_SECONDS` the reaper (tasks of dead workers back to the queue), the sweep
  of overdue deadlines and the apps' housekeeping chores (`reaper.register_housekeeping`);
- a database that is locked, busy or gone does not end the process: the loop waits with a
  backoff (0.5 s doubling to 30 s) and goes on; a task that failed only because the database
  was locked or unreachable is put back in the queue with the same backoff (up to
  `TASK_TRANSIENT_RETRIES` attempts) instead of being marked failed, and this worker's own
  RUNNING rows go back to READY when it reconnects.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta

from django.db import close_old_connections, connection, connections
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from secretariat.core import changes, reaper

logger = logging.getLogger("secretariat.tasks")

MAX_BACKOFF = 30.0


def is_transient_db_error(exc: BaseException) -> bool:
    """A database that is locked, busy or unreachable: worth waiting for, not a bug."""
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    if connection.vendor != "sqlite":
        return True
    message = str(exc).lower()
    return any(word in message for word in ("locked", "busy", "unable to open"))


def new_worker_id() -> str:
    return f"{reaper.HOST[:30]}-{os.getpid()}-{get_random_string(8)}"


def transient_retries() -> int:
    from django.conf import settings

    return int(getattr(settings, "TASK_TRANSIENT_RETRIES", 10))


class Backoff:
    def __init__(self, first: float = 0.5, limit: float = MAX_BACKOFF) -> None:
        self.first = first
        self.limit = limit
        self.delay = first

    def next(self) -> float:
        delay = self.delay
        self.delay = min(self.limit, self.delay * 2)
        return delay

    def reset(self) -> None:
        self.delay = self.first


class Heartbeat(threading.Thread):
    """Refreshes the lease from its own thread (and its own connection), so a long task does
    not make the worker look dead."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(reaper.heartbeat_seconds()):
            try:
                reaper.beat(self.worker_id)
            except Exception as exc:  # the next beat tries again
                logger.warning("Heartbeat of %s not written: %s", self.worker_id, exc)
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopped.set()


class Worker(DBWorker):
    def __init__(self, *, interval: float, batch: bool, worker_id: str | None = None) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id or new_worker_id(),
            excluded_queue_names=[],
        )
        self.started_at = timezone.now()
        self.last_maintenance = 0.0
        self.chores_run: dict[str, float] = {}
        self.heartbeat: Heartbeat | None = None

    # --- the loop ----------------------------------------------------------------------------
    def run(self) -> None:
        logger.info("Starting worker %s", self.worker_id)
        backoff = Backoff()
        if not self.batch:
            self.heartbeat = Heartbeat(self.worker_id)
            self.heartbeat.start()
        try:
            while self.running:
                try:
                    if self.batch:
                        close_old_connections_unless_testing()
                    else:
                        close_old_connections()
                    self.maintain()
                    found = self.run_one()
                    backoff.reset()
                except Exception as exc:
                    if not is_transient_db_error(exc):
                        raise
                    delay = backoff.next()
                    logger.warning(
                        "Database unavailable (%s); worker %s waits %.1f s",
                        exc,
                        self.worker_id,
                        delay,
                    )
                    drop_connections()
                    time.sleep(delay)
                    self.last_maintenance = 0.0  # on reconnecting, lease and reap first
                    continue
                if self.batch and not found:
                    return
                if self.running and not found:
                    time.sleep(self.interval)
        finally:
            if self.heartbeat is not None:
                self.heartbeat.stop()
            try:
                reaper.forget(self.worker_id)
            except Exception as exc:
                logger.warning("Heartbeat of %s not removed: %s", self.worker_id, exc)

    def maintain(self) -> None:
        """Lease, reaper, deadline sweep, the content changes' pruning and the apps'
        housekeeping, at most every TASK_REAP_SECONDS (each chore at most as often as it asks)."""
        if time.monotonic() - self.last_maintenance < reaper.reap_seconds():
            return
        reaper.beat(self.worker_id, started_at=self.started_at)
        reaper.release_own_tasks(self.worker_id)
        for step in (reaper.reap_stale_tasks, reaper.sweep_overdue_deadlines, changes.prune):
            try:
                step()
            except Exception as exc:
                if is_transient_db_error(exc):
                    raise
                # A bug in one app's deadline finder must not stop the worker running tasks.
                logger.exception("%s failed", step.__name__)
        reaper.run_housekeeping(self.chores_run, time.monotonic())
        self.last_maintenance = time.monotonic()

    def run_one(self) -> bool:
        """Claim and run one due task; whether there was one."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(self.worker_id)
        if result is None:
            return False
        self.run_task(result)
        return True

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task; a transient database error sends it back to the queue (with a backoff)
        instead of marking it failed, and is raised on so the loop waits too."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except Exception as exc:
            if is_transient_db_error(exc) and len(db_task_result.worker_ids) < transient_retries():
                self.requeue_later(db_task_result, exc)
                raise
            db_task_result.set_failed(exc)
            logger.exception("Task %s failed", db_task_result.task_path)
            task_finished.send(sender=type(task.get_backend()), task_result=task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def requeue_later(self, db_task_result: DBTaskResult, exc: BaseException) -> None:
        attempts = len(db_task_result.worker_ids)
        delay = min(MAX_BACKOFF, 0.5 * 2**attempts)
        logger.warning(
            "Task %s met an unavailable database (%s); queued again in %.1f s",
            db_task_result.task_path,
            exc,
            delay,
        )
        drop_connections()
        try:
            DBTaskResult.objects.filter(
                pk=db_task_result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.READY,
                started_at=None,
                run_after=timezone.now() + timedelta(seconds=delay),
            )
        except Exception as again:  # still unavailable: release_own_tasks does it later
            logger.warning("Task %s not queued again yet: %s", db_task_result.pk, again)


def drop_connections() -> None:
    """Close every connection so the next query opens a fresh one (a lost PostgreSQL
    connection is not reused; an aborted SQLite transaction is rolled back)."""
    for conn in connections.all(initialized_only=True):
        try:
            if conn.in_atomic_block:
                continue
            conn.close()
        except Exception:  # noqa: S110 - a broken connection may fail to close; it is dropped
            pass


def close_old_connections_unless_testing() -> None:
    """In batch mode inside a test the connection holds the test's transaction: leave it."""
    if not connection.in_atomic_block:
        close_old_connections()
