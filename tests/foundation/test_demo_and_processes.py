"""`secretariat demo` end to end: twice leaves the same data; the server answers; the worker
runs a task; Ctrl-C stops both. Also `check --deploy` with production settings.

These start real processes on SQLite in a temporary data directory (whatever DATABASE_URL the
suite runs with), because they exercise the zero-setup path a new user takes.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from secretariat.accounts.models import Body, Delegation, DelegationAlias, User
from secretariat.core.models import AuditEvent
from secretariat.core.tasks import worker_selftest

pytestmark = pytest.mark.slow


def _sqlite_env(data_dir: Path) -> dict[str, str]:
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["SECRETARIAT_DATA_DIR"] = str(data_dir)
    return env


def _secretariat(*args: str, env: dict[str, str], timeout: float = 240) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "secretariat", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _snapshot(db_path: Path) -> dict[str, list]:
    """Every row of every table the demo writes, for comparing two runs."""
    con = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE 'django_%' AND name NOT IN ('core_auditevent')"
            )
        ]
        out = {}
        for table in tables:
            try:
                out[table] = sorted(map(repr, con.execute(f'SELECT * FROM "{table}"')))  # noqa: S608
            except sqlite3.OperationalError:  # FTS shadow tables and the like
                continue
        return out
    finally:
        con.close()


def test_demo_twice_leaves_the_same_data(tmp_path) -> None:
    env = _sqlite_env(tmp_path)
    out = _secretariat("demo", "--no-serve", "--data-dir", str(tmp_path), env=env)
    assert "Demo data loaded." in out
    first = _snapshot(tmp_path / "secretariat.sqlite3")
    _secretariat("demo", "--no-serve", "--data-dir", str(tmp_path), env=env)
    second = _snapshot(tmp_path / "secretariat.sqlite3")
    assert first == second
    assert len(first["accounts_user"]) == 7
    assert len(first["accounts_body"]) == 5


def test_asem_demo_beside_cica_twice_leaves_the_same_data(tmp_path) -> None:
    """`demo --forum asem` in its own data directory: its register, accounts, archive and
    chair's statement, the same rows after a second run."""
    env = _sqlite_env(tmp_path)
    out = _secretariat(
        "demo", "--forum", "asem", "--no-serve", "--data-dir", str(tmp_path), env=env
    )
    assert "Demo data loaded." in out
    first = _snapshot(tmp_path / "secretariat.sqlite3")
    _secretariat("demo", "--forum", "asem", "--no-serve", "--data-dir", str(tmp_path), env=env)
    assert _snapshot(tmp_path / "secretariat.sqlite3") == first
    assert len(first["accounts_user"]) == 8
    assert len(first["accounts_membergroup"]) == 4
    assert sum("'member'" in row for row in first["accounts_delegation"]) == 53
    assert len(first["documents_document"]) == 3
    assert len(first["negotiation_negotiation"]) == 1


def test_demo_serves_runs_the_worker_and_stops_on_ctrl_c(tmp_path) -> None:
    env = _sqlite_env(tmp_path)
    port = _free_port()
    proc = subprocess.Popen(
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
        login_page = None
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    login_page = r.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert login_page is not None, "the demo server never answered"
        assert "Log in" in login_page
        # Hand the running worker a task through the database, as the web process would.
        _secretariat(
            "shell",
            "-c",
            "from secretariat.core.tasks import worker_selftest; "
            "worker_selftest.enqueue('demo-e2e')",
            env=env,
        )
        db = tmp_path / "secretariat.sqlite3"
        ran = False
        for _ in range(60):
            con = sqlite3.connect(db)
            ran = (
                con.execute(
                    "SELECT count(*) FROM core_auditevent WHERE action='worker.selftest' "
                    "AND object_id='demo-e2e'"
                ).fetchone()[0]
                == 1
            )
            con.close()
            if ran:
                break
            time.sleep(0.5)
        assert ran, "the demo's worker did not run the task"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output[-2000:]
    assert f"http://127.0.0.1:{port}/" in output
    assert "chn" in output and "password: demo" in output
    assert "Stopped." in output


def test_the_worker_command_runs_enqueued_tasks_once(forum, run_tasks) -> None:
    worker_selftest.enqueue("in-suite")
    assert not AuditEvent.objects.filter(action="worker.selftest").exists()
    run_tasks()
    assert AuditEvent.objects.filter(action="worker.selftest", object_id="in-suite").count() == 1
    # Idempotent: the same task run again records nothing new.
    worker_selftest.enqueue("in-suite")
    run_tasks()
    assert AuditEvent.objects.filter(action="worker.selftest", object_id="in-suite").count() == 1


def test_demo_forum_register(forum) -> None:
    assert Delegation.objects.filter(kind="member").count() == 28
    assert DelegationAlias.objects.get(alias="BGD").delegation.code == "BANGL"
    assert DelegationAlias.objects.get(alias="VNM").delegation.code == "VIE"
    assert DelegationAlias.objects.get(alias="IRN").delegation.code == "IRAN"
    assert Delegation.objects.get(code="RUS").name_ru == "Россия"
    assert Body.objects.get(code="SWG").members.count() == 28
    assert sorted(Body.objects.get(code="ICT-WG").members.values_list("code", flat=True)) == [
        "CHN",
        "IRAN",
        "KAZ",
        "RUS",
        "THA",
    ]
    assert User.objects.get(username="chair").acting_code == "CHAIR"
    assert User.objects.get(username="ind").acting_code == "IND"
    assert User.objects.get(username="observer").acting_code is None


def test_demo_accounts_are_made_only_by_the_demo_command(db) -> None:
    call_command("migrate", verbosity=0)
    assert not User.objects.exists()


def test_check_deploy_is_clean_with_production_settings(tmp_path) -> None:
    env = _sqlite_env(tmp_path)
    env.update(
        {
            "SECRETARIAT_DEBUG": "0",
            "SECRETARIAT_HTTPS": "1",
            "SECRETARIAT_SECRET_KEY": "k" * 20 + "Qz9!x#Lr2@Vb7^Wn4&Ty1*Hs6(Jd3)Fg8-Km5=Pq0+",
            "SECRETARIAT_ALLOWED_HOSTS": "secretariat.example.org",
        }
    )
    out = subprocess.run(
        [sys.executable, "-m", "secretariat", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout
