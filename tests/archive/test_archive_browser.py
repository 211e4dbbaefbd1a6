"""A delegate drafting a sentence asks the finder in a real browser, then opens the precedents
of a paragraph of the circular on its document page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SENTENCE = (
    "Recognising also that terrorism cannot and should not be associated with any "
    "religion, nationality, civilisation or ethnic group"
)


def test_finder_and_paragraph_precedents_in_the_browser(
    corpus,
    page,
    login,
    live_server,
    save_screenshot,
) -> None:
    login(page, "ind")
    page.goto(f"{live_server.url}/archive/finder/")
    page.fill("#finder-text", SENTENCE)
    page.get_by_role("button", name="Find precedents").click()
    first = page.locator("article.precedent").first
    first.wait_for()
    assert "2006-06-17" in first.inner_text()
    assert first.locator("del").first.inner_text() == "Recognising also that"
    save_screenshot(page, "archive-finder")

    circular = corpus["cica-2022-swg-circular-drafts.txt"]
    page.goto(f"{live_server.url}/documents/{circular.pk}/")
    paragraph = page.locator("li", has_text=SENTENCE).first
    paragraph.get_by_role("button", name="Find precedents").click()
    paragraph.locator("article.precedent").first.wait_for()
    assert "2006-06-17" in paragraph.locator("article.precedent").first.inner_text()
    page.get_by_role("button", name="Show agreed-language coverage").click()
    page.locator("#coverage table").wait_for()
    assert "Agreed-language coverage" in page.locator("#coverage").inner_text()
