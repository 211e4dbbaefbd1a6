"""Issue 10: the fragment cache on a running Redis, configured as the README's production
layout says (`SECRETARIAT_CACHE_URL=redis://HOST:6379/DB`, `SECRETARIAT_CACHE_PREFIX`), shared
by two `secretariat serve` processes of one site. The library's list written by one process is
read from Redis by the other for a reader of the same access scope; a reader with other rights
gets its own entry and never the first one's documents; a document added by a third process
shows through both at once (the key holds the database's change counter).

Skipped, with the reason, only when no Redis answers at 127.0.0.1:6379 (the CI machine has
one)."""

from __future__ import annotations

import socket
import uuid

import pytest

from .conftest import login, serve

pytestmark = pytest.mark.slow

REDIS = ("127.0.0.1", 6379)
DB = 13
ADD = """
from secretariat.accounts.models import User
from secretariat.documents import actions
def add(title, level):
    upload = actions.read_upload(("1. " + title + ".\\n").encode(), "doc.txt")
    actions.do_create_document(upload, actor=User.objects.get(username="secretariat"),
        title=title, organization="CICA", status="adopted", access_level=level)
"""


def redis_reachable() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=2):
            return True
    except OSError:
        return False


def test_two_processes_share_the_library_through_redis(make_site) -> None:
    if not redis_reachable():
        pytest.skip(f"no Redis answers at {REDIS[0]}:{REDIS[1]}: the shared cache is untested")
    import redis

    prefix = f"test-{uuid.uuid4().hex[:10]}"
    server = redis.Redis(host=REDIS[0], port=REDIS[1], db=DB)
    site = make_site("redis")
    site.env["SECRETARIAT_CACHE_URL"] = f"redis://{REDIS[0]}:{REDIS[1]}/{DB}"
    site.env["SECRETARIAT_CACHE_PREFIX"] = prefix
    site.python(
        "from secretariat.demo.forum import load_forum; load_forum()\n"
        + ADD
        + "add('Alpha statement', 'members'); add('Zeta secretariat memo', 'secretariat')"
    )

    def keys() -> set[bytes]:
        return set(server.scan_iter(f"{prefix}:*"))

    try:
        url_a, url_b = serve(site), serve(site)  # two processes, one cache
        ind_a, ind_b = login(url_a, "ind"), login(url_b, "isr")  # one access scope
        page = ind_a.get("/documents/").text
        assert "Alpha statement" in page and "Zeta secretariat memo" not in page
        written = keys()
        assert written, "the first process wrote its fragments into Redis"

        page = ind_b.get("/documents/").text  # the other process, the same scope
        assert "Alpha statement" in page and "Zeta secretariat memo" not in page
        assert keys() == written  # read from Redis, nothing new written

        staff = login(url_b, "secretariat").get("/documents/").text
        assert "Zeta secretariat memo" in staff
        assert len(keys()) > len(written)  # its own entry
        again = ind_a.get("/documents/").text
        assert "Zeta secretariat memo" not in again  # never the secretariat's entry

        site.python(ADD + "add('Beta statement', 'members')")  # a third process
        for client in (ind_a, ind_b):
            assert "Beta statement" in client.get("/documents/").text
            assert "Beta statement" in client.get("/").text  # the dashboard's block
    finally:
        for proc in list(site.procs):
            site.stop(proc)
        stale = list(server.scan_iter(f"{prefix}:*"))
        if stale:
            server.delete(*stale)
