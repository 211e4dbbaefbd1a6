"""Posts in full-text search under the access policy; the demo loads twice the same."""

from __future__ import annotations

import io

import pytest

from secretariat.board import actions
from secretariat.board.models import Post, Thread
from secretariat.board.search import search_posts

pytestmark = pytest.mark.django_db


def test_posts_are_found_by_stem_only_by_those_who_may_see_them(boards, forum, client_for) -> None:
    actions.do_create_thread(
        boards["ict-wg"],
        subject="ICT",
        text="Cyber confidence-building measures",
        actor=forum["chn"],
    )
    thread = actions.do_create_thread(
        boards["swg"], subject="SWG", text="We measure progress", actor=forum["ind"]
    )
    hits, total = search_posts(forum["rus"], "measures")
    assert total == 2 and {h.post.thread.subject for h in hits} == {"ICT", "SWG"}
    hits, total = search_posts(forum["ind"], "measures")  # IND is outside the ICT-WG
    assert total == 1 and hits[0].post.thread == thread
    assert search_posts(forum["ind"], '"confidence-building measures"')[1] == 0
    page = client_for("ind").get("/board/search/?q=cyber").content.decode()
    assert "ICT" not in page and "0 posts found." in page
    assert "<mark>Cyber</mark>" in client_for("rus").get("/board/search/?q=cyber").content.decode()
    # Hidden posts are not found, not even by moderators (the queue shows them).
    bad = actions.do_reply(thread, text="Advert for watches", actor=forum["rus"])
    actions.do_hide_post(bad, reason="spam", actor=forum["secretariat"])
    assert search_posts(forum["secretariat"], "watches")[1] == 0
    # An edit re-indexes.
    actions.do_edit_post(thread.posts.first(), text="We count progress", actor=forum["ind"])
    assert search_posts(forum["ind"], "measure")[1] == 0


def test_search_form_takes_anything(forum, client_for) -> None:
    for q in ["\x00", '"', "*", "a" * 5000, "<script>", "%"]:
        assert client_for("ind").get("/board/search/", {"q": q}).status_code == 200


def test_demo_is_idempotent(forum) -> None:
    from secretariat.board.demo import EN_SUBJECT, RU_SUBJECT, load_demo

    load_demo(io.StringIO())
    counts = (Thread.objects.count(), Post.objects.count())
    load_demo(io.StringIO())
    assert (Thread.objects.count(), Post.objects.count()) == counts
    en = Thread.objects.get(subject=EN_SUBJECT)
    assert en.board.code == "swg" and en.pinned
    assert Thread.objects.filter(subject=RU_SUBJECT).exists()
    assert en.posts.filter(hidden_at__isnull=False).count() == 1
    assert "@CHN" in en.posts.first().text
