from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from secretariat.outbox.sink import SMTPSink, smtp_sink


@pytest.fixture
def sink(settings) -> Iterator[SMTPSink]:
    with smtp_sink() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def boards(forum) -> dict[str, Any]:
    """Every board, by code (swg, ict-wg, forum, secretariat, ...)."""
    from secretariat.board.actions import ensure_boards
    from secretariat.board.models import Board

    ensure_boards()
    return {b.code: b for b in Board.objects.all()}


@pytest.fixture
def immediate(forum) -> Callable[..., None]:
    """immediate(user, ...): board notifications by email at once for these users."""
    from secretariat.notifications.actions import do_update_notification_settings

    def set_(*users: Any) -> None:
        for u in users:
            do_update_notification_settings(
                u, modes={"board": "immediate"}, digest_hour=8, time_zone="UTC", actor=u
            )

    return set_


# --- a real process against a database of its own -------------------------------------------
@pytest.fixture
def mail_site(tmp_path) -> Iterator[Any]:
    """A migrated site (SQLite in a data directory, or a fresh PostgreSQL database when the
    suite runs with DATABASE_URL) for `secretariat` subprocesses; `run(*args)`, `start(*args)`."""
    import os
    import signal
    import subprocess
    import sys
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    data_dir = tmp_path / "site"
    data_dir.mkdir()
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        SECRETARIAT_DATA_DIR=str(data_dir),
        SECRETARIAT_HTTPS="0",
        SECRETARIAT_SECRET_KEY="board-mail-test-" + uuid.uuid4().hex,
        SECRETARIAT_MAIL_DOMAIN="board.example.test",
    )
    admin = os.environ.get("DATABASE_URL", "")
    db_name = None
    if admin.startswith(("postgres://", "postgresql://")):
        import psycopg

        db_name = f"b1_mail_{uuid.uuid4().hex[:8]}"
        parts = urlsplit(admin)
        root = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(root, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{db_name}"))
    procs: list[subprocess.Popen[str]] = []

    class Site:
        environ = env

        def run(self, *args: str) -> str:
            result = subprocess.run(
                [sys.executable, "-m", "secretariat", *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
            return result.stdout

        def start(self, *args: str) -> subprocess.Popen[str]:
            proc = subprocess.Popen(
                [sys.executable, "-m", "secretariat", *args],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            procs.append(proc)
            return proc

    site = Site()
    site.run("migrate", "--no-input", "-v", "0")
    yield site
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)
    if db_name:
        import psycopg

        with psycopg.connect(root, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
