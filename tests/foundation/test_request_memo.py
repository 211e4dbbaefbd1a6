"""The forum's register row is read once per request (`core.requestmemo`), however many parts of
the page ask who holds the secretariat's powers or who presides; never kept past the request,
and read at every call where there is no request (worker, commands)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from secretariat.accounts import register
from secretariat.accounts.models import Forum
from secretariat.core.requestmemo import memoised, request_scope


def _forum_reads(captured: CaptureQueriesContext) -> int:
    return sum('from "accounts_forum"' in q["sql"].lower() for q in captured.captured_queries)


def test_a_page_reads_the_forum_once(forum, client_for) -> None:
    client = client_for("ind")
    client.get("/negotiations/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/negotiations/").status_code == 200
    assert _forum_reads(captured) == 1


def test_a_request_sees_the_forum_as_it_is_now(forum, client_for) -> None:
    """Nothing of one request's memo reaches the next: a change between them is seen."""
    client = client_for("secretariat")
    client.get("/accounts/forum/")
    Forum.objects.update(presiding_code="ZZTOP")  # no signal: only a fresh read can see it
    with request_scope():
        assert register.presiding_code() == "ZZTOP"
    Forum.objects.update(presiding_code="CHAIR")
    with request_scope():
        assert register.presiding_code() == "CHAIR"


def test_without_a_request_every_call_reads(forum, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        register.presiding_code()
        register.secretariat_powers()
    with request_scope(), django_assert_num_queries(1):
        register.presiding_code()
        register.secretariat_powers()
        register.presiding_role()


def test_saving_the_forum_inside_a_request_is_seen_by_the_rest_of_it(forum) -> None:
    with request_scope():
        row = Forum.objects.get()
        assert register.presiding_code() == row.presiding_code
        row.presiding_code = "NEWCODE"
        row.save()
        assert register.presiding_code() == "NEWCODE"
        row.delete()
        assert Forum.current() is None


def test_scopes_do_not_share_a_memo() -> None:
    loads = []
    with request_scope():
        memoised("k", lambda: loads.append(1))
        memoised("k", lambda: loads.append(1))
        with request_scope():
            memoised("k", lambda: loads.append(2))
        memoised("k", lambda: loads.append(1))
    memoised("k", lambda: loads.append(3))
    assert loads == [1, 2, 3]
