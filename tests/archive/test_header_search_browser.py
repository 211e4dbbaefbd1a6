"""The search box in the page header: on every page of a signed-in user, it opens the search
with the words typed, results grouped by document."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_header_search_box_finds_documents_from_any_page(
    forum, add_document, page, live_server, login, save_screenshot
) -> None:
    add_document(
        "\n\n".join(
            f"{i}. Terrorism cannot be associated with any religion ({i})." for i in (1, 2, 3, 4)
        ),
        title="Circular on terrorism",
    )
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("form[role=search] input[name=q]").count() == 0  # not before login
    login(page, "ind")
    for path in ("/", "/documents/", "/negotiations/"):
        page.goto(f"{live_server.url}{path}")
        box = page.get_by_role("search").get_by_label("Search documents")
        assert box.is_visible(), path
    box.fill("terrorism")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url.split("?")[0].endswith("/archive/") and "q=terrorism" in page.url
    groups = page.locator("article.hit-group")
    assert groups.count() == 1
    assert groups.first.locator("h3").inner_text() == "Circular on terrorism"
    assert "1 more paragraph from this document" in groups.first.inner_text()
    assert page.get_by_role("search").get_by_label("Search documents").input_value() == "terrorism"
    save_screenshot(page, "header-search")
