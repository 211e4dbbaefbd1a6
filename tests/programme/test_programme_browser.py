"""In a real Chromium: a lead's delegate sees the overview (who leads what, the overdue report),
opens the initiative and uploads the report; the overview then has nothing overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_overview_and_a_lead_uploads_a_report(
    page, live_server, login, forum, make_initiative, browser_orm, save_screenshot, tmp_path
) -> None:
    from secretariat.programme import actions
    from secretariat.programme.models import Report

    ict = make_initiative()
    actions.do_join_initiative(
        ict,
        forum["ind"].delegation,
        "cosponsor",
        on=timezone.localdate(),
        actor=forum["secretariat"],
    )
    actions.do_set_reporting_cycle(
        ict,
        start_on=timezone.localdate() - timedelta(days=10),
        every_months=6,
        remind_days=14,
        actor=forum["secretariat"],
    )

    login(page, "chn")
    page.goto(f"{live_server.url}/programme/")
    overdue = page.locator("#overdue")
    assert ict.title in overdue.inner_text()
    row = page.locator("#leads tbody tr", has_text=ict.title)
    assert "China" in row.inner_text() and "IND" in row.inner_text()
    save_screenshot(page, "programme-overview")

    overdue.get_by_role("link", name=ict.title).click()
    report = tmp_path / "progress.txt"
    report.write_text("Progress report on the ICT CBM.\n\nAn expert meeting was held.")
    page.set_input_files("#id_file", str(report))
    page.fill("#id_cycle", "1")
    page.fill("#id_results", "An expert meeting was held in Beijing.")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#reports a")
    assert "report 1" in page.locator("#reports").inner_text()

    with browser_orm():
        saved = Report.objects.get()
        assert saved.initiative_id == ict.pk and saved.cycle == 0
        assert saved.submitted_by_id == forum["chn"].pk
    page.goto(f"{live_server.url}/programme/")
    assert "No report is overdue." in page.locator("#overdue").inner_text()
