"""In a real browser: a delegate chooses their emails; the secretariat retries a bounced one."""

from __future__ import annotations

import pytest

from secretariat.notifications.actions import notify
from secretariat.notifications.models import NotificationPreference
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delegate_sets_email_choices_and_reads_the_centre(
    forum, page, live_server, login, save_screenshot, browser_orm
) -> None:
    notify(
        [forum["ind"]],
        "negotiation.amendment",
        params={"code": "CHN", "label": "para 2", "title": "Declaration"},
        url="/negotiations/",
        key="b1",
    )
    login(page, "ind")
    page.goto(f"{live_server.url}/notifications/")
    assert page.get_by_role(
        "link", name="CHN proposes an amendment to para 2 of “Declaration”"
    ).is_visible()
    page.get_by_role("button", name="Mark as read").click()
    assert page.locator("li.unread").count() == 0
    page.get_by_role("link", name="My notification settings").click()
    row = page.get_by_role("row", name="Amendments or positions on my paragraphs")
    row.locator("input[value=digest]").check()
    page.select_option("#id_time_zone", "Asia/Kolkata")
    page.select_option("#id_digest_hour", "7")
    save_screenshot(page, "notification-settings")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your notification settings are saved.").is_visible()
    with browser_orm():
        preference = NotificationPreference.objects.get(user=forum["ind"], category="paragraphs")
    assert preference.mode == "digest"


def test_secretariat_retries_a_failed_message(
    forum, page, live_server, login, settings, save_screenshot, browser_orm
) -> None:
    from secretariat.outbox.sink import smtp_sink

    with smtp_sink() as sink:
        settings.EMAIL_PORT = sink.port
        sink.set_on_data(lambda envelope: "550 5.1.1 No such mailbox")
        notify(
            [forum["chn"]],
            "negotiation.amendment",
            params={"code": "IND", "label": "para 1", "title": "Declaration"},
            key="b2",
        )
        send_due()
        failed = OutboundEmail.objects.get()
        assert failed.status == "failed"
        login(page, "secretariat")
        page.goto(f"{live_server.url}/outbox/?status=failed")
        assert page.get_by_text("550 5.1.1 No such mailbox").is_visible()
        save_screenshot(page, "outbox-failed")
        page.get_by_role("button", name="Retry").click()
        assert page.get_by_text("The message is queued again.").is_visible()
        sink.set_on_data(None)
        with browser_orm():
            assert send_due().sent == 1
        assert sink.wait_for(1)[0].rcpt_tos == ("chn@demo.secretariat.test",)
