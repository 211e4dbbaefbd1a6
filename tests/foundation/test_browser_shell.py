"""A delegate logs in with a real browser, sees the dashboard, and switches to Russian and
to Kazakh."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delegate_dashboard_in_english_and_russian(
    forum, page, live_server, login, save_screenshot
) -> None:
    login(page, "ind")
    assert page.locator("h1").inner_text().startswith("Welcome, Priya Raman")
    nav = page.get_by_role("navigation", name="Main")
    for label in (
        "Dashboard",
        "Documents",
        "Negotiations",
        "Meetings",
        "Notices",
        "Board",
        "Archive",
    ):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
    save_screenshot(page, "dashboard-en")

    with page.expect_navigation():
        page.select_option("#lang-select", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
    nav = page.get_by_role("navigation", name="Главное меню")
    for label in ("Обзор", "Документы", "Переговоры", "Заседания", "Объявления", "Форум", "Архив"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert page.locator("h1").inner_text().startswith("Добро пожаловать")
    save_screenshot(page, "dashboard-ru")

    # The choice follows the account: a new browser session starts in Russian after login.
    page.context.clear_cookies()
    login(page, "ind")
    assert page.locator("html").get_attribute("lang") == "ru"


def test_delegate_switches_to_kazakh(forum, page, live_server, login, save_screenshot) -> None:
    login(page, "ind")
    switch = page.locator("#lang-select")
    assert switch.locator("option[value=kk]").inner_text() == "Қазақша"
    with page.expect_navigation():
        page.select_option("#lang-select", "kk")
    assert page.locator("html").get_attribute("lang") == "kk"
    nav = page.get_by_role("navigation", name="Басты мәзір")
    for label in (
        "Шолу тақтасы",
        "Құжаттар",
        "Келіссөздер",
        "Отырыстар",
        "Хабарламалар",
        "Форум",
        "Мұрағат",
    ):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()
    assert page.locator("h1").inner_text().startswith("Қош келдіңіз")
    save_screenshot(page, "dashboard-kk")
    # The choice follows the account into a new browser session.
    page.context.clear_cookies()
    login(page, "ind")
    assert page.locator("html").get_attribute("lang") == "kk"
