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
    for q in ["\x00", '"', "*", "a" * 5000, "<script>", "%", "'", "a:b", "NEAR(", "x & y"]:
        assert client_for("ind").get("/board/search/", {"q": q}).status_code == 200
        assert client_for("ind").get("/archive/", {"q": q}).status_code == 200


SENTENCE = "The Member States reaffirm their commitment to the peaceful settlement of disputes."


def test_posts_in_the_library_search_under_the_same_rules(
    boards, forum, client_for, add_document
) -> None:
    from django.urls import reverse

    from secretariat.archive import finding

    swg = actions.do_create_thread(
        boards["swg"], subject="Settlement wording", text=SENTENCE, actor=forum["ind"]
    )
    actions.do_create_thread(
        boards["ict-wg"],
        subject="ICT settlement",
        text="Disputes in cyberspace",
        actor=forum["chn"],
    )
    hidden = actions.do_reply(swg, text="Cheap disputes resolved here", actor=forum["rus"])
    actions.do_hide_post(hidden, reason="spam", actor=forum["secretariat"])
    search = reverse("archive:search")
    # The library's page shows the post (found by a stem: "disputes" -> "dispute") and links
    # to it in its thread.
    page = client_for("chn").get(search, {"q": "dispute"}).content.decode()
    assert "Board posts" in page and "Settlement wording" in page and "ICT settlement" in page
    assert swg.posts.first().get_absolute_url() in page
    assert "Cheap" not in page  # hidden: never found, not even by its moderators
    assert "Cheap" not in client_for("secretariat").get(search, {"q": "cheap"}).content.decode()
    # IND is outside the ICT-WG: only the SWG's post.
    page = client_for("ind").get(search, {"q": "disputes"}).content.decode()
    assert "Settlement wording" in page and "ICT settlement" not in page
    assert (
        "ICT settlement" not in client_for("ind").get(search, {"q": "cyberspace"}).content.decode()
    )
    assert search_posts(forum["ind"], "cyberspace")[1] == 0
    assert search_posts(forum["chn"], "cyberspace")[1] == 1
    # Phrases and prefixes through the index, as in the library.
    assert search_posts(forum["ind"], '"peaceful settlement"')[1] == 1
    assert search_posts(forum["ind"], '"settlement peaceful"')[1] == 0
    assert search_posts(forum["ind"], "reaffi*")[1] == 1
    # The agreed-language finder ignores posts: the same words in an adopted document are
    # found once, as that document.
    doc = add_document(SENTENCE, title="Adopted text")
    found = finding.precedents(forum["ind"], SENTENCE, k=5, include_drafts=True)
    assert [f["document_id"] for f in found] == [doc.pk]


def test_demo_is_idempotent(forum) -> None:
    from secretariat.board.demo import EN_SUBJECT, PP5B_SUBJECT, RU_SUBJECT, load_demo
    from secretariat.negotiation.demo import load_demo as load_negotiations

    load_negotiations(io.StringIO())
    load_demo(io.StringIO())
    counts = (Thread.objects.count(), Post.objects.count())
    load_demo(io.StringIO())
    assert (Thread.objects.count(), Post.objects.count()) == counts
    en = Thread.objects.get(subject=EN_SUBJECT)
    assert en.board.code == "swg" and en.pinned
    assert Thread.objects.filter(subject=RU_SUBJECT).exists()
    assert en.posts.filter(hidden_at__isnull=False).count() == 1
    assert "@CHN" in en.posts.first().text
    pp5b = Thread.objects.get(subject=PP5B_SUBJECT)
    assert pp5b.board.code == "swg"
    assert (pp5b.anchor.paragraph_key, pp5b.anchor.changed) == ("PP5b", False)
    assert pp5b.anchor.negotiation.title == "Draft Astana Statement on CICA Transformation"
