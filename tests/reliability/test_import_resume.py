# ruff: noqa: S608 - literal SQL with integer ids, read straight from the database
"""Issue 10, item 2: an import whose worker dies part-way is resumed. A real `secretariat
worker` is held inside the import task (the start-up hook of hold_hook/: while reading the
draft; between two of the short transactions that write the pending negotiation, its draft
and Rev. 1 committed; or inside the last transaction, which makes it visible) and killed with
SIGKILL; nobody sees what the dead run left (a pending row). A new worker reaps the dead
worker's task and runs it again: exactly one negotiation row with its two revisions (the dead
run's pending row removed), the job done, the task successful."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from .conftest import Site, wait_for

pytestmark = pytest.mark.slow

HOLD_HOOK = Path(__file__).parent / "hold_hook"
TASKS = "django_tasks_database_dbtaskresult"
DRAFT = (
    Path(__file__).resolve().parents[2]
    / "src/secretariat/negotiation/demo_texts/plan-of-action.txt"
).read_text()

QUEUE = f"""
from secretariat.accounts.models import Body, User
from secretariat.demo.forum import load_forum
from secretariat.negotiation.actions.importing import do_queue_import
load_forum()
text = {DRAFT!r} * 100
job = do_queue_import(title="Plan of action", body=Body.objects.get(code="SWG"), text=text,
                      actor=User.objects.get(username="secretariat"))
print("JOB", job.pk, job.size)
"""


def job_row(site: Site, job: int) -> tuple:
    return site.sql(f"SELECT state, negotiation_id FROM negotiation_importjob WHERE id = {job}")[0]


def task_status(site: Site) -> str | None:
    return site.scalar(f"SELECT status FROM {TASKS} WHERE task_path LIKE '%import_negotiation'")


@pytest.mark.parametrize(
    ("hold_at", "state_when_killed", "pending_revisions"),
    [
        ("secretariat.negotiation.actions.importing:prepare_import", "reading", 0),
        ("secretariat.negotiation.actions.importing:_write_structure", "writing", 1),
        ("secretariat.negotiation.actions.importing:notify", "writing", 2),
    ],
    ids=["while-reading", "between-batches", "inside-the-last-write"],
)
def test_an_import_killed_part_way_is_resumed_once(
    make_site, hold_at, state_when_killed, pending_revisions
):
    site = make_site("resume")
    job, size = (int(x) for x in site.python(QUEUE).split("JOB", 1)[1].split()[:2])
    assert size > 1_000_000  # a big import, a task of the worker

    hold_dir = site.data_dir / "hold"
    hold_dir.mkdir()
    (hold_dir / "hold").write_text("")
    worker = site.start(
        "worker", "--interval", "0.2",
        extra_env={
            "PYTHONPATH": str(HOLD_HOOK),
            "SECRETARIAT_TEST_HOLD_DIR": str(hold_dir),
            "SECRETARIAT_TEST_HOLD_AT": hold_at,
        },
    )  # fmt: skip
    wait_for((hold_dir / "held").exists, 120, 0.05, "the worker to be inside the import")
    assert task_status(site) == "RUNNING"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    (hold_dir / "hold").unlink()

    # The dead run left the job part-way and no visible negotiation: at most a pending one,
    # with what its committed batches wrote.
    assert job_row(site, job) == (state_when_killed, None)
    assert site.scalar("SELECT count(*) FROM negotiation_negotiation WHERE pending = ''") == 0
    left = site.sql("SELECT id, pending FROM negotiation_negotiation")
    assert [p for _, p in left] == ([f"job:{job}"] if state_when_killed == "writing" else [])
    assert site.scalar("SELECT count(*) FROM negotiation_revision") == pending_revisions

    second = site.start("worker", "--interval", "0.2")
    wait_for(lambda: task_status(site) == "SUCCESSFUL", 180, 0.2, "the task to succeed again")
    site.run("tasks", "reap")  # a second reap changes nothing
    out = site.stop(second)

    state, negotiation = job_row(site, job)
    assert state == "done", out[-2000:]
    assert site.sql("SELECT id, pending FROM negotiation_negotiation") == [(negotiation, "")]
    assert (
        site.scalar(
            f"SELECT count(*) FROM negotiation_revision WHERE negotiation_id = {negotiation}"
        )
        == 2
    )
    assert (
        site.scalar("SELECT count(*) FROM core_auditevent WHERE action = 'negotiation.import'") == 1
    )
    resumed = site.sql(
        "SELECT detail FROM core_auditevent WHERE action = 'negotiation.import.resumed'"
    )
    assert len(resumed) == 1 and state_when_killed in str(resumed[0][0])
    assert len(site.sql("SELECT id FROM core_auditevent WHERE action = 'task.reaped'")) == 1
