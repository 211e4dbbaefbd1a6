# ruff: noqa: S608 - literal SQL with integer ids, read straight from the database
"""No lost deadline: a worker killed inside the silence deadline task leaves the task RUNNING;
the next worker sees the dead lease, puts the task back, and the text is adopted exactly once.

Real `secretariat worker` processes against a file SQLite database (or a PostgreSQL database of
their own when DATABASE_URL is set). The worker is caught inside the task by a lock the test
holds: on PostgreSQL a row lock on the silence procedure (the task's SELECT ... FOR UPDATE
waits on it); on SQLite the write lock, taken the moment the task is claimed (the task's
transaction then waits on it in SQLite's busy handler).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from typing import Any

import pytest

from .conftest import Site, wait_for

pytestmark = pytest.mark.slow

TEXT = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""

SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from secretariat.accounts.models import Body, User
from secretariat.demo.forum import load_forum
from secretariat.negotiation import actions
load_forum()
users = {{u.username: u for u in User.objects.all()}}
neg = actions.do_import_negotiation(
    title="Draft statement", body=Body.objects.get(code="SWG"), text={TEXT!r},
    actor=users["secretariat"])
silence = actions.do_open_silence(
    neg, deadline=timezone.now() + timedelta(seconds=1), actor=users["chair"])
print("SILENCE", silence.pk)
"""

TASKS = "django_tasks_database_dbtaskresult"


def open_silence(site: Site) -> int:
    out = site.python(SETUP)
    silence_id = int(out.split("SILENCE", 1)[1].split()[0])
    time.sleep(1.5)  # past the deadline
    return silence_id


def task_status(site: Site, silence_id: int) -> str | None:
    return site.scalar(
        f"SELECT status FROM {TASKS} WHERE task_path LIKE '%end_silence_procedure' "
        f"AND CAST(args_kwargs AS TEXT) LIKE '%[{silence_id}]%'"
    )


def adopted_count(site: Site, silence_id: int) -> int:
    return site.scalar(
        "SELECT count(*) FROM negotiation_decision d JOIN negotiation_silenceprocedure s "
        "ON s.negotiation_id = d.negotiation_id "
        f"WHERE d.kind = 'adopted_by_silence' AND s.id = {silence_id}"
    )


def caught(site: Site) -> tuple[int, Any, Any]:
    """A silence procedure past its deadline and a worker blocked inside its deadline task."""
    for _attempt in range(5):
        silence_id = open_silence(site)
        found = catch_worker_inside_the_task(site, silence_id)
        if found is not None:
            return silence_id, *found
    raise AssertionError("the worker was never caught inside the task")


def catch_worker_inside_the_task(site: Site, silence_id: int):
    """Start a worker and return (worker, lock connection) once the worker is blocked in the
    deadline task on a lock this test holds."""
    if site.vendor == "postgresql":
        import psycopg

        lock = psycopg.connect(site.database_url)  # not autocommit: holds its transaction
        lock.execute(
            f"SELECT id FROM negotiation_silenceprocedure WHERE id = {silence_id} FOR UPDATE"
        )
        worker = site.start("worker", "--interval", "0.2")
        wait_for(
            lambda: task_status(site, silence_id) == "RUNNING", 60, 0.05, "the task to be claimed"
        )

        def waiting_on_lock() -> bool:
            return site.scalar("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0

        wait_for(waiting_on_lock, 30, 0.1, "the task to wait on the row lock")
        return worker, lock
    # SQLite: the moment the task is claimed, freeze the worker (SIGSTOP), take the write lock,
    # and let it go on (SIGCONT): its task then waits for the lock. If the freeze came too late
    # (the task already held the lock), the attempt is reported as missed and tried again.
    lock = sqlite3.connect(site.sqlite_path, timeout=0, isolation_level=None)
    worker = site.start("worker", "--interval", "0.2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = lock.execute(
            f"SELECT status FROM {TASKS} WHERE CAST(args_kwargs AS TEXT) LIKE '%[{silence_id}]%'"
        ).fetchone()
        if row and row[0] != "READY":
            break
        time.sleep(0.0005)
    else:
        raise AssertionError("the worker never claimed the task")
    os.kill(worker.pid, signal.SIGSTOP)
    try:
        lock.execute("BEGIN IMMEDIATE")
        state = lock.execute(
            f"SELECT state FROM negotiation_silenceprocedure WHERE id = {silence_id}"
        ).fetchone()[0]
    except sqlite3.OperationalError:
        state = "locked by the task"
    finally:
        os.kill(worker.pid, signal.SIGCONT)
    if state != "open":
        if lock.in_transaction:
            lock.execute("ROLLBACK")
        lock.close()
        wait_for(lambda: task_status(site, silence_id) == "SUCCESSFUL", 120, 0.2, "the missed task")
        site.stop(worker)
        return None
    time.sleep(1.0)  # the task is now in SQLite's busy wait for our lock
    return worker, lock


def test_a_worker_killed_inside_the_deadline_task_loses_nothing(make_site) -> None:
    site = make_site("lease")
    silence_id, worker, lock = caught(site)

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    lock.rollback() if site.vendor == "postgresql" else lock.execute("ROLLBACK")
    lock.close()

    # The dead worker left the task RUNNING and nothing adopted.
    assert task_status(site, silence_id) == "RUNNING"
    assert adopted_count(site, silence_id) == 0
    killed_id = site.scalar("SELECT worker_id FROM core_workerheartbeat")
    assert killed_id, "the killed worker had a heartbeat row"

    second = site.start("worker", "--interval", "0.2")
    wait_for(lambda: adopted_count(site, silence_id) == 1, 90, 0.2, "the text to be adopted")
    wait_for(lambda: task_status(site, silence_id) == "SUCCESSFUL", 30, 0.2, "the task to succeed")
    # A second reap and sweep (and the running worker's own) change nothing.
    site.run("tasks", "reap")
    time.sleep(1.0)
    out = site.stop(second)

    assert adopted_count(site, silence_id) == 1
    assert site.scalar(
        f"SELECT state FROM negotiation_silenceprocedure WHERE id = {silence_id}"
    ) == ("ended")
    neg_id = site.scalar(
        f"SELECT negotiation_id FROM negotiation_silenceprocedure WHERE id = {silence_id}"
    )
    assert site.scalar(f"SELECT state FROM negotiation_negotiation WHERE id = {neg_id}") == (
        "adopted"
    )
    assert (
        site.scalar(
            f"SELECT filed_document_id FROM negotiation_decision WHERE negotiation_id = {neg_id}"
        )
        is not None
    )
    reaped = site.sql("SELECT detail FROM core_auditevent WHERE action = 'task.reaped'")
    assert len(reaped) == 1, out[-2000:]  # (a missed attempt's worker reaped nothing)
    assert killed_id in str(reaped[0][0])
    # The killed worker's lease is gone, and so is the stopped one's.
    assert site.scalar("SELECT count(*) FROM core_workerheartbeat") == 0
    assert second.returncode == 0, out[-2000:]


def test_a_live_workers_task_is_not_reaped(make_site) -> None:
    """The reaper leaves alone a task whose worker is alive, even one blocked far longer than
    the stale period (its heartbeat may be starved by the lock on SQLite)."""
    site = make_site("live", extra_env={"SECRETARIAT_TASK_STALE_SECONDS": "1"})
    silence_id, worker, lock = caught(site)
    try:
        time.sleep(2.5)  # past the stale period
        out = site.run("tasks", "reap")  # with nothing to reap it writes nothing
        assert "0 task(s) of dead workers" in out
        assert task_status(site, silence_id) == "RUNNING"
    finally:
        lock.rollback() if site.vendor == "postgresql" else lock.execute("ROLLBACK")
        lock.close()
    wait_for(lambda: adopted_count(site, silence_id) == 1, 60, 0.2, "the text to be adopted")
    site.stop(worker)
    task_id = site.scalar(
        f"SELECT id FROM {TASKS} WHERE CAST(args_kwargs AS TEXT) LIKE '%[{silence_id}]%'"
    )
    reaped = site.sql("SELECT detail FROM core_auditevent WHERE action = 'task.reaped'")
    assert not [r for r in reaped if str(task_id).replace("-", "") in str(r[0]).replace("-", "")], (
        reaped
    )
    assert adopted_count(site, silence_id) == 1
