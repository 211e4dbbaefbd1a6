# ruff: noqa: S608 - literal SQL, read straight from the database
"""The worker waits out a locked or lost database instead of exiting; `secretariat demo`
keeps serving when its worker dies and starts it again. Real processes throughout."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import Proxy, Site, base_env, free_port, pg_admin_url, wait_for, wait_for_http

pytestmark = pytest.mark.slow

ENQUEUE = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from secretariat.core.tasks import worker_selftest; "
    "worker_selftest.using(run_after=timezone.now() + timedelta(seconds={delay}))"
    ".enqueue({token!r})"
)


def selftest_ran(site: Site, token: str) -> bool:
    return (
        site.scalar(
            "SELECT count(*) FROM core_auditevent WHERE action = 'worker.selftest' "
            f"AND object_id = '{token}'"
        )
        == 1
    )


def test_the_worker_waits_out_a_write_lock_longer_than_the_busy_timeout(make_site) -> None:
    site = make_site("locked", sqlite=True, extra_env={"SECRETARIAT_SQLITE_TIMEOUT": "0.3"})
    worker = site.start("worker", "--interval", "0.2", extra_env={"SECRETARIAT_LOG_LEVEL": "INFO"})
    wait_for(lambda: site.scalar("SELECT count(*) FROM core_workerheartbeat") == 1, 60)
    site.python(ENQUEUE.format(delay=1, token="after-the-lock"))
    holder = sqlite3.connect(site.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a 21 MB import, say: 10 busy timeouts long
    try:
        time.sleep(3.0)
        assert worker.poll() is None, "the worker exited on a locked database"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    wait_for(lambda: selftest_ran(site, "after-the-lock"), 60, 0.2, "the task after the lock")
    assert worker.poll() is None
    out = site.stop(worker)
    assert "Database unavailable" in out and "locked" in out, out[-2000:]


@pytest.mark.skipif(not pg_admin_url(), reason="needs PostgreSQL (DATABASE_URL)")
def test_the_worker_waits_out_a_lost_postgresql_connection(make_site) -> None:
    site = make_site("pgworker")
    direct = dict(site.env)
    proxy = Proxy.to(site)  # the worker reaches the database through the proxy
    worker = site.start("worker", "--interval", "0.2")
    wait_for(lambda: site.scalar("SELECT count(*) FROM core_workerheartbeat") == 1, 60)
    proxy.cut()
    time.sleep(1.0)
    # Enqueued directly (not through the proxy) while the worker cannot reach the database.
    subprocess.run(
        [sys.executable, "-m", "secretariat", "shell", "-c", ENQUEUE.format(delay=0, token="pg")],
        env=direct,
        check=True,
        capture_output=True,
        timeout=120,
    )
    time.sleep(3.0)
    assert worker.poll() is None, "the worker exited when the database went away"
    assert not selftest_ran(site, "pg")
    proxy.open()
    wait_for(lambda: selftest_ran(site, "pg"), 90, 0.3, "the task once the database is back")
    assert worker.poll() is None
    site.stop(worker)


def test_the_demo_restarts_a_dead_worker_and_keeps_serving(tmp_path) -> None:
    env = base_env(tmp_path)
    port = free_port()
    demo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "secretariat",
            "demo",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/accounts/login/", timeout=300)

        def workers() -> list[int]:
            kids = []
            for task in os.listdir(f"/proc/{demo.pid}/task"):
                with open(f"/proc/{demo.pid}/task/{task}/children") as f:
                    kids += [int(k) for k in f.read().split()]
            found = []
            for kid in kids:
                try:
                    with open(f"/proc/{kid}/cmdline", "rb") as f:
                        if b"worker" in f.read():
                            found.append(kid)
                except OSError:
                    continue
            return found

        first = wait_for(workers, 30, 0.2, "the demo's worker")
        os.kill(first[0], signal.SIGKILL)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
            assert r.status == 200  # still serving without a worker
        second = wait_for(lambda: [p for p in workers() if p != first[0]], 30, 0.2, "a restart")
        assert second
        token = "after-restart"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "secretariat",
                "shell",
                "-c",
                ENQUEUE.format(delay=0, token=token),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
        con = sqlite3.connect(tmp_path / "secretariat.sqlite3")

        def ran() -> bool:
            return (
                con.execute(
                    "SELECT count(*) FROM core_auditevent WHERE action='worker.selftest' "
                    f"AND object_id='{token}'"
                ).fetchone()[0]
                == 1
            )

        wait_for(ran, 60, 0.3, "the restarted worker to run a task")
        con.close()
    finally:
        os.killpg(demo.pid, signal.SIGINT)
        output, _ = demo.communicate(timeout=60)
    assert re.search(r"The worker stopped \(exit code -9\); restarting it in 1 s", output), output
    assert "Worker restarted." in output
    assert demo.returncode == 0, output[-2000:]
