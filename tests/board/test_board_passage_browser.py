"""In a real browser: select words in a negotiation paragraph, open a thread on that passage
from the paragraph's own link, reply quoting, mention @CHN, flag; a moderator hides the
flagged post; a Markdown payload fires no dialog; the thread is shown beside the paragraph."""

from __future__ import annotations

import pytest

from secretariat.board import actions
from secretariat.board.models import Flag, PassageAnchor, Post, Thread
from secretariat.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TEXT = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""
PAYLOAD = (
    "Is *stronger* the word?\n\n<script>alert('script')</script>\n\n"
    "<img src=x onerror=\"alert('img')\">\n\n[see](javascript:alert('link'))"
)
SELECT = """([key, words]) => {
  const box = document.querySelector(`#para-${key} .neg-text`);
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(words);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + words.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    }
  }
  return null;
}"""


def test_select_words_open_a_passage_thread_reply_quote_mention_flag_hide(
    boards, forum, page, live_server, login, save_screenshot, browser_orm
) -> None:
    from secretariat.accounts.models import Body
    from secretariat.negotiation.actions import do_import_negotiation

    negotiation = do_import_negotiation(
        title="Draft statement", body=Body.objects.get(code="SWG"), text=TEXT,
        actor=forum["secretariat"],
    )  # fmt: skip
    url = f"{live_server.url}{negotiation.get_absolute_url()}"
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(page, "ind")
    page.goto(url)
    # Select the words, then follow the paragraph's own link with the mouse.
    assert page.evaluate(SELECT, ["PP1", "stronger cooperation"]) == "stronger cooperation"
    page.locator("#para-PP1").get_by_role("link", name="Comment on a passage").click()
    page.wait_for_url("**/board/passage/n/**")
    assert page.locator("#id_quote").input_value() == "stronger cooperation"
    page.fill("#id_subject", "Stronger or closer?")
    page.fill("#id_text", PAYLOAD)
    page.get_by_role("button", name="Open the thread").click()
    page.wait_for_url("**/board/t/**")
    assert "stronger cooperation" in page.locator(".thread-passage").inner_text()
    with browser_orm():
        thread = Thread.objects.get(subject="Stronger or closer?")
        anchor = PassageAnchor.objects.get(thread=thread)
        assert (anchor.negotiation_id, anchor.paragraph_key) == (negotiation.pk, "PP1")
        assert thread.board == boards["swg"]
        actions.do_reply(thread, text="Off-topic advert", actor=forum["rus"])
        advert = Post.objects.get(text="Off-topic advert")
    page.reload()
    for link in page.locator("article.post .post-text a").all():
        link.hover()
        link.click(no_wait_after=True)
    # Quote the opening post, mention the Chinese delegation, reply.
    page.locator("article.post").first.get_by_role("link", name="Quote").click()
    assert "> Is *stronger* the word?" in page.locator("#id_text").input_value()
    page.locator("#id_text").press("End")
    page.locator("#id_text").type("\n@CHN would *closer cooperation* work for you?")
    page.get_by_role("button", name="Post").click()
    last = page.locator("article.post").last
    assert "would closer cooperation work for you?" in last.inner_text()
    assert "in reply to ind" in last.inner_text()
    # Flag the advert.
    flagged = page.locator(f"#post-{advert.pk}")
    flagged.locator("summary", has_text="Flag").click()
    flagged.get_by_label("Reason").fill("Advertising")
    flagged.get_by_role("button", name="Flag for the moderators").click()
    with browser_orm():
        assert Flag.objects.filter(post=advert, user=forum["ind"]).exists()
        assert Notification.objects.filter(user=forum["chn"], kind="board.mention").exists()
    # The secretariat hides it from the moderation queue.
    page.context.clear_cookies()
    login(page, "secretariat")
    page.goto(f"{live_server.url}/board/moderation/")
    item = page.locator(f"#flagged-{advert.pk}")
    item.get_by_label("Reason").fill("Advertising is not allowed")
    item.get_by_role("button", name="Hide the post").click()
    # CHN sees the thread beside PP1, and the thread without the hidden post.
    page.context.clear_cookies()
    login(page, "chn")
    page.goto(url)
    beside = page.locator("#para-PP1 .passage-threads")
    assert "Stronger or closer?" in beside.inner_text()
    save_screenshot(page, "board-negotiation-passage")
    beside.get_by_role("link", name="Stronger or closer?").click()
    page.wait_for_url("**/board/t/**")
    main = page.locator("main").inner_text()
    assert "Off-topic advert" not in main and "closer cooperation" in main
    assert page.locator("article.post .post-text script, article.post .post-text img").count() == 0
    page.wait_for_timeout(300)
    assert dialogs == []
