"""Every list page costs a fixed number of queries, however many rows it shows: each page is
loaded with N rows and with 3N rows, and must stay under the same bound with the same count
(a query per row would show as a difference)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from secretariat.accounts.models import User
from secretariat.notices.actions import do_post_notice
from secretariat.notifications.actions import notify

N = 4


def _count(client: Client, url: str, assert_max: Callable, bound: int) -> int:
    cache.clear()  # both counts without cached fragments (the search facets): like for like
    with assert_max(bound) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _same_for_n_and_3n(
    add: Callable[[int], None],
    client: Client,
    url: str,
    assert_max: Callable,
    bound: int,
) -> None:
    add(N)
    client.get(url)  # warm per-process caches (content types, translations)
    few = _count(client, url, assert_max, bound)
    add(2 * N)
    many = _count(client, url, assert_max, bound)
    assert few == many


def _documents(add_document: Callable, **options: object) -> Callable[[int], None]:
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            add_document(
                f"1. The Ministers welcomed cooperation on trade number {made[0]}.\n",
                filename=f"doc-{made[0]}.txt",
                title=f"Trade paper {made[0]}",
                **options,
            )

    return add


def _notices(forum: dict[str, User]) -> Callable[[int], None]:
    def add(n: int) -> None:
        for i in range(n):
            do_post_notice(
                title=f"Reminder {i}",
                text="Contributions are due on Friday.",
                access_level="members",
                body=None,
                actor=forum["chair"],
            )

    return add


def test_library_list(add_document, client_for, django_assert_max_num_queries) -> None:
    _same_for_n_and_3n(
        _documents(add_document),
        client_for("ind"),
        reverse("documents:list"),
        django_assert_max_num_queries,
        # +1: who holds the chairmanship now (accounts.access.holds_chairmanship); +1: the
        # content counter the cached list is keyed by (a miss; a hit reads no documents);
        # +1: the forum's register (read once per request: who holds the secretariat's powers)
        13,
    )


def test_archive_search(add_document, client_for, django_assert_max_num_queries) -> None:
    _same_for_n_and_3n(
        _documents(add_document),
        client_for("ind"),
        reverse("archive:search") + "?q=trade+cooperation",
        django_assert_max_num_queries,
        # +1: who holds the chairmanship now (accounts.access.holds_chairmanship); +1: the
        # library's change stamp the cached facets are keyed by (6 fewer when they are cached);
        # +3: the board's posts and the meetings found by the same words (sections of the page);
        # +2: which hits' documents have other language editions; +1: the forum's register,
        # read once per request (who holds the secretariat's powers, who presides); +1: the
        # reads of the members' documents shown, recorded in one insert.
        22,
    )


def test_notices_list(forum, client_for, django_assert_max_num_queries) -> None:
    _same_for_n_and_3n(
        _notices(forum),
        client_for("ind"),
        reverse("notices:list"),
        django_assert_max_num_queries,
        9,  # +1: who holds the chairmanship now; +1: the forum's register (once per request)
    )


def test_notifications_list(forum, client_for, django_assert_max_num_queries) -> None:
    made = [0]

    def add(n: int) -> None:
        for _ in range(n):
            made[0] += 1
            notify([forum["ind"]], "test", f"Something happened ({made[0]})", url="/notices/")

    _same_for_n_and_3n(
        add, client_for("ind"), reverse("notifications:list"), django_assert_max_num_queries, 7
    )


def test_audit_log(forum, client_for, django_assert_max_num_queries) -> None:
    # Every posted notice writes an audit row.
    _same_for_n_and_3n(
        _notices(forum),
        client_for("secretariat"),
        reverse("audit-log"),
        django_assert_max_num_queries,
        9,  # 8 + the second-factor device of the verified session (django-otp checks it)
    )


@pytest.mark.parametrize(("url_name", "bound"), [("archive:public", 2), ("archive:feed", 1)])
def test_public_list_and_feed(
    url_name, bound, add_document, client_for, django_assert_max_num_queries
) -> None:
    _same_for_n_and_3n(
        _documents(add_document, access_level="public", status="published"),
        client_for(None),
        reverse(url_name),
        django_assert_max_num_queries,
        bound,
    )


def test_dashboard(forum, add_document, client_for, django_assert_max_num_queries) -> None:
    documents = _documents(add_document)
    notices = _notices(forum)

    def add(n: int) -> None:
        documents(n)
        notices(n)
        notify([forum["ind"]], "test", f"{n} new documents", url="/documents/")

    # 12, plus the board's block (its posts, and the reader's bodies for them): 14.
    _same_for_n_and_3n(
        # +2: who holds the chairmanship now (accounts.access.holds_chairmanship)
        add,
        client_for("ind"),
        reverse("dashboard"),
        django_assert_max_num_queries,
        16,  # +1: the forum's register, read once per request
    )


def test_finder_page(add_document, run_tasks, client_for, django_assert_max_num_queries) -> None:
    """The finder's access mask is judged on the engine's candidates only, not on every
    paragraph the user may see, so its cost does not grow with the archive either."""
    documents = _documents(add_document)

    def add(n: int) -> None:
        documents(n)
        run_tasks()

    ind = client_for("ind")
    url = reverse("archive:finder")
    text = {"text": "The Ministers welcomed cooperation on trade"}
    add(N)
    ind.post(url, text)
    # +1: the chair verdict (accounts.access); +2: which precedents' documents have other
    # language editions; +1: the forum's register (read once per request); +2: the reads of
    # the restricted precedents shown, recorded in one insert (their documents, the insert)
    with django_assert_max_num_queries(12) as few:
        assert "Trade paper" in ind.post(url, text).content.decode()
    add(2 * N)
    with django_assert_max_num_queries(12) as many:
        assert "Trade paper" in ind.post(url, text).content.decode()
    assert len(few) == len(many)
