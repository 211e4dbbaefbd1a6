"""The ASEM demo forum in a real browser: the European coordinator logs in, sees the forum's
coordinators and groups, and the chair's dashboard of the SOM statement counting by group."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asem_statement(transactional_db):
    from secretariat.accounts.models import Body
    from secretariat.demo.asem import STATEMENT, STATEMENT_TITLE
    from secretariat.demo.forum import load_forum
    from secretariat.negotiation.actions import do_import_negotiation

    load_forum("asem")
    return do_import_negotiation(
        title=STATEMENT_TITLE, body=Body.objects.get(code="SOM"), text=STATEMENT, actor=None
    )


def test_a_european_coordinator_sees_the_coordinators_view(
    asem_statement, page, live_server, login, save_screenshot
) -> None:
    login(page, "eeas")
    assert page.locator("h1").inner_text().startswith("Welcome, Claire Dubois")
    page.goto(f"{live_server.url}/accounts/forum/")
    assert page.locator("h1").inner_text() == "Asia-Europe Meeting (ASEM)"
    seats = page.locator("[data-coordinators]")
    assert "European External Action Service" in seats.inner_text()
    assert "EU Presidency" in seats.inner_text()
    groups = page.locator("[data-groups]").inner_text()
    assert "European group EUROPE" in groups and "31 members" in groups
    save_screenshot(page, "asem-forum-coordinators")
    page.goto(f"{live_server.url}/negotiations/{asem_statement.pk}/dashboard/")
    by_group = page.locator("[data-by-group]")
    assert by_group.is_visible()
    assert by_group.get_by_role("row", name="EUROPE").inner_text().split() == ["EUROPE", "2", "0"]
    save_screenshot(page, "asem-chairs-dashboard-by-group")
