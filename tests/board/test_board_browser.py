"""In a real browser: open a thread, reply, quote, mention, flag; a moderator hides the
flagged post; hostile Markdown fires no dialog."""

from __future__ import annotations

import pytest

from secretariat.board import actions
from secretariat.board.models import Flag, Post
from secretariat.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = (
    "<script>alert('script')</script>\n\n"
    "<img src=x onerror=\"alert('img')\">\n\n"
    "[click me](javascript:alert('link'))\n\n"
    "<a href=\"javascript:alert('raw')\" onmouseover=\"alert('over')\">raw link</a>"
)


def test_thread_reply_quote_mention_flag_then_moderator_hides(
    boards, forum, page, live_server, login, save_screenshot, browser_orm
) -> None:
    thread = actions.do_create_thread(
        boards["swg"], subject="Astana Statement: OP2", text="Views on OP2?", actor=forum["ind"]
    )
    actions.do_reply(thread, text="Off-topic advert", actor=forum["rus"])
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, "chn")
    page.goto(f"{live_server.url}/board/")
    page.get_by_role("link", name="Special Working Group").click()
    page.get_by_role("link", name="Astana Statement: OP2").click()
    # Quote the first post, mention a delegation, reply.
    page.locator("article.post").first.get_by_role("link", name="Quote").click()
    assert "> Views on OP2?" in page.locator("#id_text").input_value()
    page.locator("#id_text").press("End")
    page.locator("#id_text").type("\nWe agree; @IND please confirm.")
    page.get_by_role("button", name="Post").click()
    last = page.locator("article.post").last
    assert "We agree; @IND please confirm." in last.inner_text()
    assert "in reply to ind" in last.inner_text()
    # Flag the advert.
    advert = page.locator("article.post", has_text="Off-topic advert")
    advert.locator("summary", has_text="Flag").click()
    advert.get_by_label("Reason").fill("Advertising")
    advert.get_by_role("button", name="Flag for the moderators").click()
    with browser_orm():
        assert Flag.objects.filter(user=forum["chn"], reason="Advertising").exists()
        assert Notification.objects.filter(user=forum["ind"], kind="board.mention").exists()
        advert_pk = Post.objects.get(text="Off-topic advert").pk
    # The secretariat hides it from the moderation queue.
    page.context.clear_cookies()
    login(page, "secretariat")
    page.goto(f"{live_server.url}/board/moderation/")
    item = page.locator(f"#flagged-{advert_pk}")
    assert "Advertising" in item.inner_text()
    item.get_by_label("Reason").fill("Advertising is not allowed")
    item.get_by_role("button", name="Hide the post").click()
    save_screenshot(page, "board-thread-moderator")
    page.context.clear_cookies()
    login(page, "isr")
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    assert "Off-topic advert" not in page.locator("main").inner_text()
    assert "We agree" in page.locator("main").inner_text()
    assert dialogs == []


def test_hostile_markdown_fires_no_dialog(boards, forum, page, live_server, login) -> None:
    thread = actions.do_create_thread(
        boards["forum"], subject="Hostile", text=HOSTILE, actor=forum["ind"]
    )
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, "chn")
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    text = page.locator("article.post .post-text")
    text.hover()
    for link in text.locator("a").all():
        link.hover()
        link.click(no_wait_after=True)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("article.post .post-text script, article.post .post-text img").count() == 0
