"""Real `secretariat` processes for the tests that need them (workers across a restart or a
kill, served sites): the environment of a site kept in a data directory, a command run to
completion, a process started in its own session and stopped with its children.

Shared by tests/reliability (its `Site`) and the reminder and outbox worker tests; importable
as `processes` (pytest's pythonpath is tests/)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

# The test process's own database settings must not leak into the child's.
DROPPED = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}


def site_env(
    data_dir: Path, *, smtp_port: int | None = None, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment of a site in `data_dir` (SQLite there unless DATABASE_URL is added),
    mailing to an SMTP server on loopback when `smtp_port` is given."""
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env["SECRETARIAT_DATA_DIR"] = str(data_dir)
    env["SECRETARIAT_HTTPS"] = "0"
    if smtp_port is not None:
        env["SECRETARIAT_SMTP_HOST"] = "127.0.0.1"
        env["SECRETARIAT_SMTP_PORT"] = str(smtp_port)
    env.update(extra or {})
    return env


def run(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    """`secretariat ARGS` to completion; its output (the test fails if it fails)."""
    result = subprocess.run(
        [sys.executable, "-m", "secretariat", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout


def start(*args: str, env: dict[str, str], **popen: Any) -> subprocess.Popen[str]:
    """`secretariat ARGS` in its own session (so `stop` reaches its children too)."""
    return subprocess.Popen(
        [sys.executable, "-m", "secretariat", *args],
        env=env,
        text=True,
        start_new_session=True,
        **popen,
    )


def start_worker(env: dict[str, str], interval: float = 0.2) -> subprocess.Popen[str]:
    return start(
        "worker",
        "--interval",
        str(interval),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM, timeout: float = 30) -> str:
    """Send `sig` to the process group, wait for it (SIGKILL if it does not end); its output."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=timeout)
    return out or ""
