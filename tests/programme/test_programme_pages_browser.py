"""In a real Chromium: the secretariat creates an initiative through the pages, adds a milestone
on its management page, and sees both in the overview (who leads what, the next milestone)."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_secretariat_creates_an_initiative_with_a_milestone(
    page, live_server, login, forum, browser_orm, save_screenshot
) -> None:
    from secretariat.programme.models import Initiative, Milestone

    login(page, "secretariat")
    page.goto(f"{live_server.url}/programme/")
    page.get_by_role("link", name="New initiative").click()
    page.fill("#id_title", "CBM: Security of and in the use of ICTs")
    page.select_option("#id_status", "ongoing")
    page.select_option("#id_lead", "CHN")
    page.select_option("#id_co_leads", ["RUS"])
    page.fill("#id_joined_on", "2023-01-01")
    page.click("#programme-form button[type=submit]")

    page.wait_for_selector("#milestone-form")
    assert "Russia" in page.locator("#participants").inner_text()
    page.fill("#id_milestone-title", "Expert meeting on ICT terms")
    page.fill("#id_milestone-due_on", "2030-05-20")
    page.click("#milestone-form button[type=submit]")
    page.locator("#milestones li", has_text="Expert meeting on ICT terms").wait_for()

    page.goto(f"{live_server.url}/programme/")
    row = page.locator("#leads tbody tr", has_text="CBM: Security of and in the use of ICTs")
    text = row.inner_text()
    assert "China" in text and "Russia" in text
    assert "Expert meeting on ICT terms" in text
    save_screenshot(page, "programme-initiative-created")

    with browser_orm():
        initiative = Initiative.objects.get()
        assert initiative.status == "ongoing"
        assert list(Milestone.objects.values_list("initiative_id", "due_on")) == [
            (initiative.pk, date(2030, 5, 20))
        ]
