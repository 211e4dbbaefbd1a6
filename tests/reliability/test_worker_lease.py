# ruff: noqa: S608 - literal SQL with integer ids, read straight from the database
"""No lost deadline: a worker killed inside the silence deadline task leaves the task RUNNING;
the next worker sees the dead lease, puts the task back, and the text is adopted exactly once.

Real `secretariat worker` processes against a file SQLite database (or a PostgreSQL database of
their own when DATABASE_URL is set). The worker is caught inside the task: on PostgreSQL by a
row lock the test holds on the silence procedure (the task's SELECT ... FOR UPDATE waits on
it); on SQLite, which has no row locks, by a start-up hook that holds the task at its start
(racing for SQLite's write lock between the claim and the task missed under load).
"""

from __future__ import annotations

import signal
import time
from pathlib import Path
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
HOLD_HOOK = Path(__file__).parent / "hold_hook"


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
    # SQLite has no row lock to wait on: the worker runs with a start-up hook
    # (hold_hook/sitecustomize.py) that holds the task at its start while the file `hold`
    # exists. `lock` is that file; removing it lets the task go on.
    hold_dir = site.data_dir / "hold"
    hold_dir.mkdir(exist_ok=True)
    hold = hold_dir / "hold"
    hold.write_text("")
    (hold_dir / "held").unlink(missing_ok=True)
    worker = site.start(
        "worker",
        "--interval",
        "0.2",
        extra_env={
            "PYTHONPATH": str(HOLD_HOOK),
            "SECRETARIAT_TEST_HOLD_DIR": str(hold_dir),
        },
    )
    wait_for((hold_dir / "held").exists, 90, 0.05, "the worker to be inside the task")
    assert task_status(site, silence_id) == "RUNNING"
    return worker, HeldTask(hold)


class HeldTask:
    """The SQLite stand-in for the PostgreSQL lock connection: releasing lets the task go on."""

    def __init__(self, hold: Path) -> None:
        self.hold = hold

    def release(self) -> None:
        self.hold.unlink(missing_ok=True)


def release(site: Site, lock: Any) -> None:
    if site.vendor == "postgresql":
        lock.rollback()
        lock.close()
    else:
        lock.release()


def test_a_worker_killed_inside_the_deadline_task_loses_nothing(make_site) -> None:
    site = make_site("lease")
    silence_id, worker, lock = caught(site)

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    release(site, lock)

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
        release(site, lock)
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
