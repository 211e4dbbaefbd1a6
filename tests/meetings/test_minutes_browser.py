"""In a real Chromium: the secretariat drafts the summary record of an item and circulates it, a
delegate of a participating delegation comments, the secretariat makes it final and marks the
meeting held; the meeting page shows the outcome (the minutes and the decision's document)."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_minutes_drafted_circulated_commented_final_and_outcome_shown(
    page, live_server, login, swg_meeting, forum, add_document, browser_orm, save_screenshot
):
    from secretariat.meetings import actions, minutes

    item = swg_meeting.items.get(title="Draft Astana Statement")
    outcome = add_document("The adopted statement.", title="Astana Statement OUTCOMEDOC")
    actions.do_register_participant(
        swg_meeting,
        forum["rus"].delegation,
        actions.ParticipantFields(name="Ivan Petrov"),
        actor=forum["rus"],
    )
    minutes.do_record_decision(
        swg_meeting,
        item=item,
        title="Adoption of the Astana Statement",
        decided_on=swg_meeting.starts_at.date(),
        outcome_documents=[outcome],
        actor=forum["secretariat"],
    )
    item_url = f"{live_server.url}{item.get_absolute_url()}"

    login(page, "secretariat")
    page.goto(item_url)
    page.fill("#record-form textarea", "The SWG considered the draft statement. DRAFTONE")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#record-text >> text=DRAFTONE")
    page.fill("#id_circulate-comments_due", "2099-01-01T12:00")
    page.click("#record-circulate-form button[type=submit]")
    page.wait_for_selector("#record-status >> text=Circulated for comments")

    page.context.clear_cookies()
    login(page, "rus")
    page.goto(item_url)
    assert "DRAFTONE" in page.locator("#record-text").inner_text()
    page.fill("#record-comment-form textarea", "Russia asks to record its support. RUSCOMMENT")
    page.click("#record-comment-form button[type=submit]")
    page.wait_for_selector("#minutes >> text=RUSCOMMENT")

    page.context.clear_cookies()
    login(page, "secretariat")
    page.goto(item_url)
    assert "RUSCOMMENT" in page.locator("#minutes").inner_text()
    page.fill("#record-form textarea", "The SWG adopted the statement; Russia supported it.")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#record-text >> text=Russia supported it")
    page.click("#record-final-form button[type=submit]")
    page.wait_for_selector("#record-status >> text=Final")
    save_screenshot(page, "meetings-minutes-final")
    page.goto(f"{live_server.url}{swg_meeting.get_absolute_url()}")
    page.select_option("#status-form select", "held")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector("#outcome")
    text = page.locator("#outcome").inner_text()
    assert "Russia supported it" in text and "OUTCOMEDOC" in text
    save_screenshot(page, "meetings-outcome")
    with browser_orm():
        from secretariat.meetings.models import SummaryRecord

        record = SummaryRecord.objects.get(item=item)
        assert record.status == "final" and record.versions.count() == 2
        assert record.comments.get().delegation.code == "RUS"
