"""Boards, threads, posts: access (outsider 404, reader 403), revisions, moderation, mentions,
unread markers, the dashboard, rendering."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.board import actions
from secretariat.board.access import visible_posts, visible_threads
from secretariat.board.models import Post, Thread
from secretariat.board.rendering import ALLOWED_TAGS, find_mentions, render_markdown
from secretariat.core.models import AuditEvent
from secretariat.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _thread(boards, forum, code="ict-wg", user="chn", subject="Cyber CBMs", text="Opening post"):
    return actions.do_create_thread(boards[code], subject=subject, text=text, actor=forum[user])


def test_one_board_per_body_plus_forum_and_secretariat(boards) -> None:
    from secretariat.accounts.models import Body

    assert {"forum", "secretariat", "swg", "ict-wg"} <= set(boards)
    assert len(boards) == Body.objects.count() + 2
    actions.ensure_boards()  # idempotent
    assert len({b.pk for b in boards.values()}) == len(boards)


def test_outsider_sees_nothing_of_a_body_board(boards, forum, client_for) -> None:
    thread = _thread(boards, forum, subject="ICT secret subject")
    post = thread.posts.get()
    ind = client_for("ind")  # IND does not sit in the ICT-WG
    listing = ind.get("/board/")
    assert listing.status_code == 200
    assert "ICT" not in listing.content.decode()
    assert ind.get("/board/ict-wg/").status_code == 404
    assert ind.get(thread.get_absolute_url()).status_code == 404
    assert ind.post(f"/board/t/{thread.pk}/reply/", {"text": "x"}).status_code == 404
    assert ind.get(f"/board/p/{post.pk}/history/").status_code == 404
    assert ind.post(f"/board/p/{post.pk}/flag/", {"reason": "x"}).status_code == 404
    assert not visible_threads(forum["ind"]).exists()
    assert not visible_posts(forum["ind"]).exists()
    assert "ICT secret subject" not in ind.get("/").content.decode()  # dashboard
    # A member sees it, on the dashboard too.
    rus = client_for("rus")
    assert rus.get("/board/ict-wg/").status_code == 200
    assert "ICT secret subject" in rus.get("/").content.decode()


def test_reader_may_read_but_not_post(boards, forum, client_for) -> None:
    thread = _thread(boards, forum, code="forum")
    observer = client_for("observer")
    # Observers read public content only: the forum board is for member states.
    assert observer.get(thread.get_absolute_url()).status_code == 404
    # A member who may read a locked thread may not reply (403).
    actions.do_set_thread_state(thread, pinned=False, locked=True, actor=forum["secretariat"])
    isr = client_for("isr")
    assert isr.get(thread.get_absolute_url()).status_code == 200
    assert isr.post(f"/board/t/{thread.pk}/reply/", {"text": "hi"}).status_code == 403
    assert isr.post(f"/board/t/{thread.pk}/state/", {"pinned": "on"}).status_code == 403
    assert thread.posts.count() == 1


def test_reply_quote_edit_keeps_revisions(boards, forum, client_for) -> None:
    thread = _thread(boards, forum, code="swg", user="ind", text="First words")
    first = thread.posts.get()
    chn = client_for("chn")
    page = chn.get(f"{thread.get_absolute_url()}?quote={first.pk}").content.decode()
    assert "&gt; First words" in page
    r = chn.post(
        f"/board/t/{thread.pk}/reply/", {"text": "> First words\n\nAgreed", "quoted": first.pk}
    )
    assert r.status_code == 302
    reply = thread.posts.last()
    assert reply.quoted_id == first.pk and reply.author == forum["chn"]
    r = chn.post(f"/board/p/{reply.pk}/edit/", {"text": "Agreed, with a comma"})
    assert r.status_code == 302
    chn.post(f"/board/p/{reply.pk}/edit/", {"text": "Agreed, with a comma"})  # no-op
    assert [r.text for r in reply.revisions.all()] == [
        "> First words\n\nAgreed",
        "Agreed, with a comma",
    ]
    html = client_for("rus").get(thread.get_absolute_url()).content.decode()
    assert "edited" in html and f"/board/p/{reply.pk}/history/" in html
    history = client_for("rus").get(f"/board/p/{reply.pk}/history/").content.decode()
    assert "Agreed, with a comma" in history and "First words" in history
    # Someone else may not edit it.
    assert client_for("rus").post(f"/board/p/{reply.pk}/edit/", {"text": "x"}).status_code == 403
    assert AuditEvent.objects.filter(action="board.post.edit", object_id=str(reply.pk)).exists()


def test_hidden_post_is_invisible_to_members_but_audited(boards, forum, client_for) -> None:
    thread = _thread(boards, forum, code="swg", user="ind")
    bad = actions.do_reply(thread, text="Buy cheap watches here", actor=forum["rus"])
    client_for("ind").post(f"/board/p/{bad.pk}/flag/", {"reason": "spam"})
    assert bad.flags.count() == 1
    # Only moderators hide: a delegate gets 403, the chair may.
    assert client_for("ind").post(f"/board/p/{bad.pk}/hide/", {"reason": "x"}).status_code == 403
    queue = client_for("chair").get("/board/moderation/")
    assert queue.status_code == 200 and "Buy cheap watches" in queue.content.decode()
    assert client_for("ind").get("/board/moderation/").status_code == 404
    client_for("chair").post(f"/board/p/{bad.pk}/hide/", {"reason": "Advertising"})
    bad.refresh_from_db()
    assert bad.is_hidden and bad.hidden_reason == "Advertising"
    member_page = client_for("isr").get(thread.get_absolute_url()).content.decode()
    assert "Buy cheap watches" not in member_page
    assert client_for("isr").get(f"/board/p/{bad.pk}/history/").status_code == 404
    moderator_page = client_for("secretariat").get(thread.get_absolute_url()).content.decode()
    assert "Buy cheap watches" in moderator_page and "Advertising" in moderator_page
    assert bad not in visible_posts(forum["isr"])
    assert Thread.objects.get(pk=thread.pk).post_count == 1
    event = AuditEvent.objects.get(action="board.post.hide", object_id=str(bad.pk))
    assert event.detail["reason"] == "Advertising" and event.actor == forum["chair"]


def test_move_never_exposes(boards, forum, client_for) -> None:
    thread = _thread(boards, forum, code="secretariat", user="secretariat")
    # The chair may not see the secretariat's board at all.
    assert client_for("chair").get(thread.get_absolute_url()).status_code == 404
    thread2 = _thread(boards, forum, code="swg", user="ind")
    chair = client_for("chair")
    r = chair.post(f"/board/t/{thread2.pk}/move/", {"to": boards["secretariat"].pk})
    assert r.status_code == 403
    r = chair.post(f"/board/t/{thread2.pk}/move/", {"to": boards["forum"].pk})
    assert r.status_code == 302
    thread2.refresh_from_db()
    assert thread2.board == boards["forum"]
    event = AuditEvent.objects.get(action="board.thread.move")
    assert event.detail == {"old": "swg", "new": "forum"}


def test_mentions_of_delegations_and_users_notify(boards, forum) -> None:
    thread = _thread(boards, forum, code="swg", user="ind", text="@CHN and @rus please; not `@ISR`")
    post = thread.posts.get()
    got = set(
        Notification.objects.filter(kind="board.mention").values_list("user__username", flat=True)
    )
    assert got == {"chn", "rus"}
    # A mention of someone who cannot see the thread notifies nobody.
    t2 = _thread(boards, forum, code="ict-wg", user="chn", text="@IND look")
    assert not Notification.objects.filter(kind="board.mention", params__thread=t2.pk).exists()
    # Followers (the authors so far) hear of replies.
    actions.do_reply(thread, text="Noted", actor=forum["chn"])
    assert Notification.objects.filter(kind="board.post", user=forum["ind"]).exists()
    assert post.pk


def test_find_mentions_uses_the_register_aliases() -> None:
    found = find_mentions(
        "Hi @BGD and @IND, cc @priya\n> @RUS quoted", {"BGD": "BANGL", "IND": "IND", "RUS": "RUS"}
    )
    assert found.codes == {"BANGL", "IND"}
    assert found.usernames == {"priya"}


def test_unread_and_new_since_last_visit(boards, forum, client_for) -> None:
    thread = _thread(boards, forum, code="swg", user="ind")
    rus = client_for("rus")
    page = rus.get("/board/swg/").content.decode()
    assert "unread-marker" in page
    rus.get(thread.get_absolute_url())
    assert "unread-marker" not in rus.get("/board/swg/").content.decode()
    actions.do_reply(thread, text="More", actor=forum["chn"])
    assert "unread-marker" in rus.get("/board/swg/").content.decode()


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
        "[ok](https://example.org)",
        '<svg onload="alert(1)">',
    ],
)
def test_markdown_is_rendered_inert(source: str) -> None:
    """Parsed as a browser would: no script element, no event handler, no javascript: URL
    (the words may remain as harmless escaped text)."""
    html = render_markdown(source)
    elements: list[tuple[str, dict[str, str | None]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            elements.append((tag, dict(attrs)))

    Collect().feed(html)
    for tag, attrs in elements:
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") for name in attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript")
        if tag == "a":
            assert attrs.get("rel") == "nofollow noopener"
    if "example.org" in source:
        assert ("a", {"href": "https://example.org", "rel": "nofollow noopener"}) in elements


def test_list_page_queries_do_not_grow_with_threads(boards, forum, client_for) -> None:
    ind = client_for("ind")
    for i in range(3):
        _thread(boards, forum, code="swg", user="ind", subject=f"T{i}")
    ind.get("/board/swg/")  # the session record is written on a first request only
    with CaptureQueriesContext(connection) as small:
        assert ind.get("/board/swg/").status_code == 200
    for i in range(12):
        _thread(boards, forum, code="swg", user="ind", subject=f"U{i}")
    with CaptureQueriesContext(connection) as big:
        assert ind.get("/board/swg/").status_code == 200
    assert len(big) == len(small)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    text=st.text(max_size=300),
    quoted=st.one_of(st.none(), st.text(max_size=12), st.integers()),
)
def test_post_form_never_500(boards, forum, client_for, text, quoted) -> None:
    thread = Thread.objects.filter(subject="Fuzz").first() or _thread(
        boards, forum, code="swg", user="ind", subject="Fuzz"
    )
    data = {"text": text}
    if quoted is not None:
        data["quoted"] = str(quoted)
    response = client_for("chn").post(f"/board/t/{thread.pk}/reply/", data)
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert Post.objects.filter(thread=thread, author=forum["chn"]).exists()


def test_attachments_pass_the_library_checks_and_follow_the_post_access(
    boards, forum, client_for
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    thread = _thread(boards, forum, code="ict-wg", user="chn")
    chn = client_for("chn")
    bad = SimpleUploadedFile("evil.txt", b"\x00\x01binary", content_type="text/plain")
    r = chn.post(f"/board/t/{thread.pk}/reply/", {"text": "see file", "attachment": bad})
    assert r.status_code == 400 and "binary data" in r.content.decode()
    assert thread.posts.count() == 1
    good = SimpleUploadedFile("../../notes.txt", "Проект текста".encode(), content_type="x/y")
    r = chn.post(f"/board/t/{thread.pk}/reply/", {"text": "see file", "attachment": good})
    assert r.status_code == 302
    attachment = thread.posts.last().attachments.get()
    assert attachment.filename == "notes.txt" and attachment.content_type.startswith("text/plain")
    download = client_for("rus").get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "Проект текста".encode()
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client_for("ind").get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_in_asem_the_presiding_coordinator_moderates_and_a_partner_does_not() -> None:
    from secretariat.accounts.forum_register import load_register
    from secretariat.accounts.models import Body, User
    from secretariat.board.access import can_moderate, can_post_in
    from secretariat.board.models import Board, BoardKind
    from secretariat.demo.forum import REGISTERS

    load_register(REGISTERS["asem"])
    actions.ensure_boards()
    forum_board = Board.objects.get(kind=BoardKind.FORUM)
    som = actions.board_of_body(Body.objects.get(code="SOM"))
    eeas = User.objects.get(username="eeas")  # a coordinator: ASEM's presiding role
    assert can_moderate(eeas, forum_board) and can_moderate(eeas, som)
    partner = User.objects.create(
        username="partner", role="delegate", delegation=eeas.delegation
    )  # same delegation, not the presiding role
    assert can_post_in(partner, forum_board) and not can_moderate(partner, forum_board)
