# ruff: noqa: S608 - literal SQL with integer ids, read straight from the database
"""Reads never fail on a held write lock; a lost database gives the product's 503 page.

Real `secretariat serve` processes: on SQLite a test connection holds the write lock longer
than the busy timeout; on PostgreSQL the server reaches the database through a TCP proxy the
test closes and reopens.
"""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime

import pytest

from .conftest import Proxy, Site, login, pg_admin_url, serve, wait_for

pytestmark = pytest.mark.slow

DOCUMENT = """
from secretariat.accounts.models import User
from secretariat.demo.forum import load_forum
from secretariat.documents import actions
load_forum()
doc = actions.do_create_document(
    actions.read_upload(b"1. Members only text.", "m.txt"), title="Members only",
    organization="CICA", status="adopted", access_level="members",
    actor=User.objects.get(username="secretariat"))
print("DOC", doc.pk)
"""


def make_document(site: Site) -> int:
    return int(site.python(DOCUMENT).split("DOC", 1)[1].split()[0])


def view_events(site: Site, doc: int) -> list[tuple]:
    return site.sql(
        "SELECT at, actor_name FROM core_auditevent WHERE action = 'view' "
        f"AND object_type = 'documents.document' AND object_id = '{doc}' ORDER BY id"
    )


def test_a_read_answers_while_a_writer_holds_the_lock_and_its_view_is_recorded_after(
    make_site,
) -> None:
    site = make_site("views", sqlite=True, extra_env={"SECRETARIAT_SQLITE_TIMEOUT": "1"})
    doc = make_document(site)
    url = serve(site)
    client = login(url, "ind")
    assert client.get(f"/documents/{doc}/").status_code == 200
    assert len(view_events(site, doc)) == 1  # written at once when nothing waits

    writer = sqlite3.connect(site.sqlite_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a long import, say
    try:
        viewed_at = time.time()
        started = time.monotonic()
        answer = client.get(f"/documents/{doc}/")
        took = time.monotonic() - started
        assert answer.status_code == 200
        assert "Members only" in answer.text
        assert took < 1.0, f"the read waited {took:.2f} s for the lock"
        time.sleep(2.0)  # past the busy timeout: the background writer must keep retrying
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    events = wait_for(lambda: len(view_events(site, doc)) == 2 and view_events(site, doc), 30)
    at, actor = events[-1]
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    assert actor == "ind"
    assert abs(at.timestamp() - viewed_at) < 1.0, "the event keeps the time of the view"


def test_a_read_whose_session_is_due_a_touch_skips_it_while_a_writer_holds_the_lock(
    make_site,
) -> None:
    """The session's "last seen" is refreshed on every request here (touch every 0 s): while
    another writer holds SQLite's lock for longer than the busy timeout, the read answers at
    once and the touch is skipped (the row keeps its old time); once the lock is free the next
    request touches it again."""
    site = make_site(
        "touch",
        sqlite=True,
        extra_env={"SECRETARIAT_SQLITE_TIMEOUT": "3", "SECRETARIAT_SESSION_TOUCH_SECONDS": "0"},
    )
    site.python("from secretariat.demo.forum import load_forum; load_forum()")
    url = serve(site)
    client = login(url, "ind")
    assert client.get("/documents/").status_code == 200

    def last_seen() -> str:
        return str(site.sql("SELECT max(last_seen) FROM accounts_usersession")[0][0])

    before = last_seen()
    writer = sqlite3.connect(site.sqlite_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a long import, say
    try:
        started = time.monotonic()
        answer = client.get("/documents/")
        took = time.monotonic() - started
        assert answer.status_code == 200, answer.text[-500:]
        assert took < 2.0, f"the read waited {took:.2f} s for the lock"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert last_seen() == before  # skipped, not waited for
    time.sleep(0.05)
    assert client.get("/documents/").status_code == 200
    assert last_seen() > before  # and touched by the next request


def test_a_write_that_meets_the_lock_past_the_timeout_gets_the_503_page(make_site) -> None:
    site = make_site("locked", sqlite=True, extra_env={"SECRETARIAT_SQLITE_TIMEOUT": "0.5"})
    site.python("from secretariat.demo.forum import load_forum; load_forum()")
    url = serve(site)
    writer = sqlite3.connect(site.sqlite_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(AssertionError, match="503"):
            login(url, "ind")  # the login writes the session and last_login
        import httpx

        page = httpx.get(f"{url}/accounts/login/")
        assert page.status_code == 200  # a read still answers
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    client = login(url, "ind")  # and the write goes through once the lock is released
    assert client.get("/").status_code == 200


@pytest.mark.skipif(not pg_admin_url(), reason="needs PostgreSQL (DATABASE_URL)")
def test_postgresql_loss_gives_the_503_page_and_the_server_recovers(make_site) -> None:
    site = make_site("pgloss")
    doc = make_document(site)
    proxy = Proxy.to(site)
    url = serve(site, "--workers", "2")
    client = login(url, "ind")
    assert client.get(f"/documents/{doc}/").status_code == 200

    proxy.cut()
    for path in ("/", f"/documents/{doc}/", "/documents/"):
        answer = client.get(path)
        assert answer.status_code == 503, (path, answer.status_code, answer.text[-800:])
        assert "Temporarily unavailable" in answer.text
        assert "Traceback" not in answer.text
        assert answer.headers["Retry-After"] == "30"

    proxy.open()  # the same port again
    wait_for(lambda: client.get("/").status_code == 200, 30, 0.5, "the site to recover")
    assert client.get(f"/documents/{doc}/").status_code == 200
