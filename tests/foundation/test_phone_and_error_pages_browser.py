"""A phone's first screen shows content, not the shell; error pages are the product's own."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _phone(page) -> None:
    page.set_viewport_size(PHONE)


def test_phone_header_is_compact_and_its_menu_button_opens_the_navigation(
    forum, page, live_server, login, save_screenshot
) -> None:
    _phone(page)
    login(page, "ind")
    header = page.locator(".shell-header")
    assert header.bounding_box()["height"] < 120
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "phone-dashboard-en")

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    assert nav.get_by_role("link", name="Documents", exact=True).is_visible()
    # The language box and the user's menu are whole, inside the screen.
    for box in (page.locator("#lang-select"), page.locator(".user-menu summary")):
        rect = box.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"]
    page.locator(".user-menu summary").click()
    logout = page.get_by_role("button", name="Log out")
    rect = logout.bounding_box()
    assert logout.is_visible() and rect["x"] + rect["width"] <= PHONE["width"]
    save_screenshot(page, "phone-menu-open-en")

    # Escape from inside the menu folds it and gives the focus back to the button.
    nav.get_by_role("link", name="Documents", exact=True).focus()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()

    # In Russian the language box reads whole and the header stays compact.
    toggle.click()
    with page.expect_navigation():
        page.select_option("#lang-select", "ru")
    assert page.locator(".shell-header").bounding_box()["height"] < 120
    page.get_by_role("button", name="Меню").click()
    select = page.locator("#lang-select")
    assert select.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    save_screenshot(page, "phone-menu-open-ru")


def test_the_desktop_header_shows_the_navigation_without_a_menu_button(
    forum, page, live_server, login
) -> None:
    login(page, "ind")
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    # two rows at 1,366 px: the brand with the tools (search, language, user) and the navigation
    assert page.locator(".shell-header").bounding_box()["height"] < 180


def test_error_pages_are_styled_translated_and_have_the_navigation(
    forum, page, live_server, login, save_screenshot
) -> None:
    rus = forum["rus"]
    rus.language = "ru"
    rus.save(update_fields=["language"])
    login(page, "rus")
    assert page.locator("html").get_attribute("lang") == "ru"

    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Страница не найдена"
    assert page.get_by_role("navigation", name="Главное меню").is_visible()
    # Styled: the product's stylesheet is applied (the shell's header has its background).
    assert page.locator(".shell-header").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    ) not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.get_by_role("link", name="Вернуться к обзору").is_visible()
    save_screenshot(page, "error-404-ru")

    # A delegate may not open the form for a new mandate (a programme manager's page).
    response = page.goto(f"{live_server.url}/programme/mandates/new/")
    assert response is not None and response.status == 403
    assert page.locator("h1").inner_text() == "Вам нельзя открыть эту страницу"
    assert page.get_by_role("navigation", name="Главное меню").is_visible()
    assert "Forbidden" not in page.locator("body").inner_text()
    save_screenshot(page, "error-403-ru")
