"""Real processes against a database of their own.

`site` gives a data directory and the environment for `secretariat ...` subprocesses: SQLite
in that directory, or, when the suite runs with DATABASE_URL, a fresh PostgreSQL database on
the same server (dropped afterwards), since the test database is inside the test's transaction
and invisible to other processes. `site.sql(...)` reads it directly; `site.python(code)` runs
code in a Django process of that site (data built there through the real actions).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

import processes

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Site:
    data_dir: Path
    env: dict[str, str]
    database_url: str | None
    procs: list[subprocess.Popen] = field(default_factory=list)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url else "sqlite"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "secretariat.sqlite3"

    def connect(self) -> Any:
        if self.database_url:
            import psycopg

            return psycopg.connect(self.database_url, autocommit=True)
        con = sqlite3.connect(self.sqlite_path, timeout=30, isolation_level=None)
        return con

    def sql(self, query: str) -> list[tuple]:
        con = self.connect()
        try:
            return list(con.execute(query).fetchall())
        finally:
            con.close()

    def scalar(self, query: str) -> Any:
        rows = self.sql(query)
        return rows[0][0] if rows else None

    def run(self, *args: str, timeout: float = 300, extra_env: dict | None = None) -> str:
        return processes.run(*args, env={**self.env, **(extra_env or {})}, timeout=timeout)

    def python(self, code: str, timeout: float = 300) -> str:
        return self.run("shell", "-c", code, timeout=timeout)

    def start(self, *args: str, extra_env: dict | None = None, **popen: Any) -> subprocess.Popen:
        popen.setdefault("stdout", subprocess.PIPE)
        popen.setdefault("stderr", subprocess.STDOUT)
        proc = processes.start(*args, env={**self.env, **(extra_env or {})}, **popen)
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, sig: int = signal.SIGTERM) -> str:
        return processes.stop(proc, sig)


def wait_for(predicate: Any, timeout: float = 60, step: float = 0.2, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what or predicate}")


def wait_for_http(url: str, timeout: float = 120) -> None:
    import urllib.request

    def up() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our own http URL
                return True
        except OSError as exc:
            return getattr(exc, "code", None) is not None  # any HTTP answer means it is up

    wait_for(up, timeout, 0.3, f"{url} to answer")


def base_env(data_dir: Path) -> dict[str, str]:
    return processes.site_env(data_dir)


def create_pg_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return with_database(admin_url, name)


def drop_pg_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(with_database(admin_url, "postgres"), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def make_site(tmp_path) -> Iterator[Any]:
    """make_site("name") -> a Site with an empty database (migrated when migrate=True)."""
    admin = pg_admin_url()
    made: list[tuple[Site, str | None]] = []

    def make(
        name: str = "site",
        *,
        migrate: bool = True,
        extra_env: dict | None = None,
        sqlite: bool = False,
    ) -> Site:
        data_dir = tmp_path / name
        data_dir.mkdir()
        env = base_env(data_dir)
        env.update(extra_env or {})
        db_name = None
        url = None
        if admin and not sqlite:
            db_name = f"h6_{name}_{uuid.uuid4().hex[:8]}"
            url = create_pg_database(admin, db_name)
            env["DATABASE_URL"] = url
        site = Site(data_dir, env, url)
        made.append((site, db_name))
        if migrate:
            site.run("migrate", "--no-input", "-v", "0")
        return site

    yield make
    for site, db_name in made:
        for proc in site.procs:
            if proc.poll() is None:
                site.stop(proc, signal.SIGKILL)
        if admin and db_name:
            drop_pg_database(admin, db_name)


def login(base_url: str, username: str, password: str = "demo") -> Any:
    """An httpx client logged in through the real login form."""
    import re

    import httpx

    client = httpx.Client(
        base_url=base_url, timeout=90
    )  # a cold worker process on a loaded 2-core machine
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"},
    )
    assert answer.status_code == 302, answer.text[-500:]
    if "/accounts/2fa/verify/" in answer.headers["location"]:
        # secretariat and chair: the demo device's code (the next one if this one was used).
        from secretariat.demo.forum import demo_totp_code

        for step_offset in (0, 1):
            page = client.get(answer.headers["location"])
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            answer = client.post(
                "/accounts/2fa/verify/",
                data={"token": demo_totp_code(step_offset), "csrfmiddlewaretoken": token},
                headers={"Referer": f"{base_url}/accounts/2fa/verify/"},
            )
            if answer.status_code == 302:
                break
        assert answer.status_code == 302, answer.text[-500:]
    return client


def serve(site: Site, *args: str) -> str:
    """Start `secretariat serve` on a free port; its base URL once it answers."""
    port = free_port()
    # Into a file, not a pipe nobody reads: a full pipe blocks the server's next log line (a
    # lost database logs a traceback a request) and with it the request being answered.
    log = (site.data_dir / f"serve-{port}.log").open("w")
    site.start("serve", "--port", str(port), *args, stdout=log)
    log.close()  # the child keeps its own descriptor
    url = f"http://127.0.0.1:{port}"
    wait_for_http(f"{url}/accounts/login/")
    return url


class Proxy:
    """A TCP proxy on loopback that the test can cut (closing every connection and refusing
    new ones) and restore on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.listener: socket.socket | None = None
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        self.open()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    @classmethod
    def to(cls, site: Site) -> Proxy:
        """A proxy to the site's PostgreSQL server; the site's processes go through it."""
        assert site.database_url
        real = urlsplit(site.database_url)
        proxy = cls((real.hostname or "127.0.0.1", real.port or 5432))
        netloc = real.netloc.rsplit("@", 1)
        host = f"127.0.0.1:{proxy.port}"
        netloc = f"{netloc[0]}@{host}" if len(netloc) == 2 else host
        site.env["DATABASE_URL"] = urlunsplit(real._replace(netloc=netloc))
        return proxy

    def cut(self) -> None:
        assert self.listener is not None
        with contextlib.suppress(OSError):  # wakes the thread blocked in accept()
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            conns, self.conns = self.conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
