"""A reader whose account says Kazakh gets the notification centre, the emails and the digest
in Kazakh, dates written the Kazakh way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from secretariat.notifications.actions import (
    do_update_notification_settings,
    notify,
    send_due_digests,
)
from secretariat.notifications.models import Notification
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db

AMENDMENT = {"code": "IND", "label": "para 3", "title": "Almaty Declaration"}


@pytest.fixture
def kazakh(forum):
    user = forum["rus"]
    user.language = "kk"
    user.save(update_fields=["language"])
    return user


def test_immediate_email_in_kazakh(forum, kazakh, sink) -> None:
    notify([kazakh, forum["ind"]], "negotiation.amendment", params=AMENDMENT, url="/n/1/", key="e")
    assert send_due().sent == 2
    by_to = {r.rcpt_tos[0]: r.message for r in sink.wait_for(2)}
    kk = by_to["rus@demo.secretariat.test"]
    assert kk["Content-Language"] == "kk"
    assert (
        str(kk["Subject"]).strip()
        == "IND «Almaty Declaration» құжатының para 3 тармағына түзету ұсынады"
    )
    text = kk.get_body(("plain",)).get_content()
    assert "http://localhost:8000/n/1/" in text
    assert (
        "Қандай хаттар алатыныңызды өзгерту: http://localhost:8000/notifications/settings/" in text
    )
    en = by_to["ind@demo.secretariat.test"]
    assert str(en["Subject"]).strip().startswith("IND proposes an amendment")


def test_the_digest_in_kazakh_with_a_kazakh_date(forum, kazakh, sink) -> None:
    do_update_notification_settings(
        kazakh, modes={"paragraphs": "digest"}, digest_hour=9, time_zone="UTC", actor=kazakh
    )
    for i in range(2):
        notify([kazakh], "negotiation.amendment", params=AMENDMENT | {"label": f"p{i}"}, key=f"{i}")
    at_nine = datetime(2099, 6, 17, 9, 1, tzinfo=UTC)
    Notification.objects.update(created_at=at_nine - timedelta(hours=5))
    assert send_due_digests(at_nine) == 1
    assert send_due().sent == 1
    (message,) = [r.message for r in sink.wait_for(1)]
    assert str(message["Subject"]).strip() == "Сіз үшін 2 жаңа хабар — 2099 жылғы 17 маусым"


def test_the_notification_centre_speaks_kazakh(forum, kazakh, client_for) -> None:
    notify([kazakh], "negotiation.amendment", params=AMENDMENT, url="/n/1/", key="c")
    page = client_for("rus").get("/notifications/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert (
        'IND «<span lang="en">Almaty Declaration</span>» құжатының para 3 тармағына түзету ұсынады'
        in page
    )
    assert "Барлығын оқылды деп белгілеу" in page
