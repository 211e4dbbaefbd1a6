"""Notifications rendered in the reader's language, the email choices, digests, follows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from secretariat.accounts.models import Body, User
from secretariat.core.models import AuditEvent
from secretariat.notices.actions import do_edit_notice, do_post_notice
from secretariat.notifications.actions import (
    do_update_notification_settings,
    followers_of,
    notify,
    send_due_digests,
)
from secretariat.notifications.models import Follow, Notification
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db

AMENDMENT = {"code": "IND", "label": "para 3", "title": "Almaty Declaration"}


def _set_modes(user: User, hour: int = 8, zone: str = "UTC", **modes: str) -> None:
    do_update_notification_settings(user, modes=modes, digest_hour=hour, time_zone=zone, actor=user)


def test_each_reader_sees_the_sentence_in_their_language(forum, russian, client_for) -> None:
    notify(
        [forum["ind"], russian], "negotiation.amendment", params=AMENDMENT, url="/n/1/", key="a1"
    )
    en = client_for("ind").get("/notifications/").content.decode()
    # The quoted title is marked with its own language (a Russian page reads it as English).
    assert (
        'IND proposes an amendment to para 3 of “<span lang="en">Almaty Declaration</span>”' in en
    )
    ru = client_for("rus").get("/notifications/", HTTP_ACCEPT_LANGUAGE="ru")
    ru_html = ru.content.decode()
    with translation.override("ru"):
        row = Notification.objects.get(user=russian)
        assert row.message == "IND предлагает поправку к para 3 документа «Almaty Declaration»"
        assert row.text == ""  # a kind and parameters are stored, not a sentence
    assert row.params == AMENDMENT
    assert '«<span lang="en">Almaty Declaration</span>»' in ru_html


def test_the_old_call_form_still_works_and_shows_its_text(forum, client_for) -> None:
    assert notify([forum["ind"]], "negotiation.adopted", "“X” was adopted", "/n/2/") == 1
    assert "“X” was adopted" in client_for("ind").get("/notifications/").content.decode()
    assert notify([forum["ind"]], "negotiation.adopted", "again", "/n/2/", key="k") == 1
    assert notify([forum["ind"]], "negotiation.adopted", "again", "/n/2/", key="k") == 0


def test_counts_and_dates_follow_the_locale(forum) -> None:
    notify([forum["ind"]], "documents.batch", params={"count": 3, "body": "SWG"}, key="b3")
    notify(
        [forum["ind"]],
        "negotiation.silence.opened",
        params={"title": "T", "deadline": "2026-12-01T12:00:00+00:00", "time_zone": "Asia/Almaty"},
        key="s1",
    )
    batch = Notification.objects.get(key="b3")
    silence = Notification.objects.get(key="s1")
    with translation.override("ru"):
        assert batch.message == "3 новых документа в SWG"
        assert "1 декабря 2026" in silence.message and "17:00" in silence.message
    with translation.override("en"):
        assert batch.message == "3 new documents in SWG"
        assert "1 December 2026" in silence.message


def test_notify_costs_the_same_queries_for_2_or_20_users(forum) -> None:
    from secretariat.demo.forum import load_forum  # noqa: F401 (forum loaded)

    extra = [
        User.objects.create_user(f"u{i}", email=f"u{i}@x.test", delegation=forum["ind"].delegation)
        for i in range(18)
    ]
    few = [forum["ind"], forum["chn"]]
    many = few + extra
    for users in (few, many):  # warm the content-type cache
        notify(users, "negotiation.amendment", params=AMENDMENT, key="warm")
    counts = []
    for n, users in enumerate((few, many)):
        with CaptureQueriesContext(connection) as ctx:
            notify(users, "negotiation.amendment", params=AMENDMENT, key=f"q{n}")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 12
    assert Notification.objects.filter(key="q1").count() == 20


def test_immediate_email_in_the_recipient_language(forum, russian, sink) -> None:
    notify([russian, forum["ind"]], "negotiation.amendment", params=AMENDMENT, url="/n/1/", key="e")
    assert send_due().sent == 2
    by_to = {r.rcpt_tos[0]: r.message for r in sink.wait_for(2)}
    ru = by_to["rus@demo.secretariat.test"]
    en = by_to["ind@demo.secretariat.test"]
    assert (
        str(ru["Subject"]).strip()
        == "IND предлагает поправку к para 3 документа «Almaty Declaration»"
    )
    assert (
        str(en["Subject"]).strip() == "IND proposes an amendment to para 3 of “Almaty Declaration”"
    )
    text = ru.get_body(("plain",)).get_content()
    assert "http://localhost:8000/n/1/" in text
    assert "http://localhost:8000/notifications/settings/" in text
    html = ru.get_body(("html",)).get_content()
    assert 'href="http://localhost:8000/n/1/"' in html
    assert ru["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_unsubscribe_switches_the_category_off(forum, sink, client) -> None:
    notify([forum["ind"]], "negotiation.amendment", params=AMENDMENT, key="u1")
    send_due()
    message = sink.wait_for(1)[0].message
    url = str(message["List-Unsubscribe"]).strip().strip("<>")
    path = url.removeprefix("http://localhost:8000")
    # RFC 8058: the mail client posts without a session or a CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert client.post(path[:-5] + "xxxx/", {"List-Unsubscribe": "One-Click"}).status_code == 404
    notify([forum["ind"]], "negotiation.amendment", params=AMENDMENT, key="u2")
    assert not OutboundEmail.objects.filter(key__endswith=":u2").exists()
    assert Notification.objects.filter(key="u2").exists()  # still in the centre


def test_preference_off_means_no_email(forum, sink) -> None:
    _set_modes(forum["ind"], paragraphs="off")
    notify([forum["ind"], forum["chn"]], "negotiation.amendment", params=AMENDMENT, key="o")
    assert list(OutboundEmail.objects.values_list("to_address", flat=True)) == [
        "chn@demo.secretariat.test"
    ]
    assert send_due().sent == 1
    assert [r.rcpt_tos[0] for r in sink.received] == ["chn@demo.secretariat.test"]


def test_switched_off_after_the_event_cancels_the_queued_email(forum, sink) -> None:
    notify([forum["ind"]], "negotiation.amendment", params=AMENDMENT, key="late")
    _set_modes(forum["ind"], paragraphs="off")
    report = send_due()
    assert (report.sent, report.cancelled) == (0, 1)
    assert sink.received == []


def test_a_user_who_lost_access_gets_no_email(forum, sink, client_for) -> None:
    swg = Body.objects.get(code="SWG")
    notice = do_post_notice(
        title="For SWG", text="…", access_level="body", body=swg, actor=forum["secretariat"]
    )
    for name in ("ind", "chn"):
        _set_modes(forum[name], other="immediate")
    notify(
        [forum["ind"], forum["chn"], forum["observer"]],
        "negotiation.adopted",
        params={"title": "For SWG"},
        url=notice.get_absolute_url(),
        key="acc",
        target=notice,
    )
    # The observer never could see it: not notified at all.
    notified = Notification.objects.filter(key="acc").values_list("user__username", flat=True)
    assert sorted(notified) == ["chn", "ind"]
    assert OutboundEmail.objects.filter(status="queued").count() == 2
    assert "For SWG" in client_for("ind").get("/notifications/").content.decode()

    # Before the mail goes out, the notice becomes secretariat-only.
    do_edit_notice(
        notice,
        title="For SWG",
        text="…",
        access_level="secretariat",
        body=None,
        actor=forum["secretariat"],
    )
    report = send_due()
    assert (report.sent, report.cancelled) == (0, 2)
    assert sink.received == []
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"cancelled"}
    # Nor does the notification centre show it any more.
    assert "For SWG" not in client_for("ind").get("/notifications/").content.decode()


def test_unsubscribe_page_without_login(forum, client) -> None:
    from secretariat.outbox.api import unsubscribe_url

    path = unsubscribe_url(forum["ind"], "silence").removeprefix("http://localhost:8000")
    page = client.get(path)
    assert page.status_code == 200
    assert "Silence procedures opened, broken or ended" in page.content.decode()
    assert client.get("/outbox/unsubscribe/forged/").status_code == 404
    client.post(path, {"List-Unsubscribe": "One-Click"})
    assert forum["ind"].notification_prefs.get(category="silence").mode == "off"


def test_a_digest_task_waits_for_the_users_hour(forum) -> None:
    from django_tasks_db.models import DBTaskResult

    _set_modes(forum["ind"], hour=9, zone="Asia/Kolkata", paragraphs="digest")
    notify([forum["ind"]], "negotiation.amendment", params=AMENDMENT, key="dt")
    (task,) = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_digests")
    local = task.run_after.astimezone(ZoneInfo("Asia/Kolkata"))
    assert (local.hour, local.minute) == (9, 0)
    assert task.run_after > timezone.now()


def test_the_digest_gathers_the_day_into_one_message_at_the_local_hour(
    forum, russian, sink
) -> None:
    _set_modes(russian, hour=9, zone="Asia/Kolkata", paragraphs="digest")  # UTC+5:30
    for i in range(3):
        notify(
            [russian], "negotiation.amendment", params=AMENDMENT | {"label": f"p{i}"}, key=f"d{i}"
        )
    assert not OutboundEmail.objects.exists()
    before = datetime(2099, 1, 1, 3, 0, tzinfo=UTC)  # 08:30 in Kolkata
    at_nine = datetime(2099, 1, 1, 3, 31, tzinfo=UTC)  # 09:01 in Kolkata
    Notification.objects.update(created_at=before - timedelta(hours=5))
    assert send_due_digests(before) == 0
    assert send_due_digests(at_nine) == 1
    assert send_due_digests(at_nine + timedelta(hours=1)) == 0  # one per day
    rows = list(OutboundEmail.objects.all())
    assert [(r.kind, r.key) for r in rows] == [
        ("notifications.digest", f"digest:{russian.pk}:2099-01-01")
    ]
    assert send_due().sent == 1
    (message,) = [r.message for r in sink.wait_for(1)]
    assert str(message["Subject"]).strip() == "3 новых сообщения для вас — 1 января 2099 г."
    body = message.get_body(("plain",)).get_content()
    for i in range(3):
        assert f"p{i}" in body
    # An item that comes later waits for the next day's digest.
    notify([russian], "negotiation.amendment", params=AMENDMENT, key="next")
    Notification.objects.filter(key="next").update(created_at=at_nine + timedelta(hours=2))
    assert send_due_digests(at_nine + timedelta(hours=3)) == 0
    assert send_due_digests(at_nine + timedelta(days=1)) == 1


def test_settings_page_saves_choices_and_refuses_bad_input(forum, client_for) -> None:
    c = client_for("ind")
    page = c.get("/notifications/settings/")
    assert page.status_code == 200
    assert "Amendments or positions on my paragraphs" in page.content.decode()
    data = {f"mode_{c}": "digest" for c in ("documents", "revisions", "paragraphs", "silence")}
    data |= {"mode_notes_verbales": "immediate", "mode_other": "off", "mode_board": "immediate"}
    data |= {"digest_hour": "7", "time_zone": "Asia/Kolkata"}
    assert c.post("/notifications/settings/", data).status_code == 302
    user = User.objects.get(username="ind")
    assert user.time_zone == "Asia/Kolkata"
    assert user.digest_schedule.hour == 7
    assert dict(user.notification_prefs.values_list("category", "mode"))["other"] == "off"
    assert dict(user.notification_prefs.values_list("category", "mode"))["board"] == "immediate"
    assert AuditEvent.objects.filter(action="notifications.settings", actor=user).exists()
    for bad in ({"time_zone": "Mars/Olympus"}, {"digest_hour": "25"}, {"mode_other": "x\x00"}):
        response = c.post("/notifications/settings/", data | bad)
        assert response.status_code == 200  # the form again, with its error
    assert User.objects.get(username="ind").time_zone == "Asia/Kolkata"


def test_follow_and_unfollow(forum, client_for, add_document) -> None:
    doc = add_document(
        "Text of the note.",
        title="Concept",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )
    data = {"target": "documents.document", "object_id": str(doc.pk), "follow": "1", "next": "/"}
    assert client_for("chn").post("/notifications/follow/", data).status_code == 302
    assert list(followers_of(doc)) == [forum["chn"]]
    # India does not sit in the ICT working group: the document does not exist for it.
    assert client_for("ind").post("/notifications/follow/", data).status_code == 404
    assert client_for("observer").post("/notifications/follow/", data).status_code == 404
    bad = data | {"target": "accounts.user", "object_id": str(forum["chn"].pk)}
    assert client_for("chn").post("/notifications/follow/", bad).status_code == 404
    assert (
        client_for("chn").post("/notifications/follow/", data | {"follow": "0"}).status_code == 302
    )
    assert not Follow.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.unfollow").count() == 1


def test_follow_button_include(forum, rf, add_document) -> None:
    from django.template import engines

    doc = add_document("Text.", title="Concept")
    request = rf.get("/documents/")
    request.user = forum["ind"]
    template = engines["django"].from_string(
        '{% include "notifications/_follow.html" with object=doc %}'
    )
    html = template.render({"doc": doc}, request)
    assert 'name="target" value="documents.document"' in html
    assert 'name="follow" value="1"' in html


def test_mark_one_read(forum, client_for) -> None:
    notify([forum["ind"]], "negotiation.amendment", params=AMENDMENT, key="r1")
    notify([forum["ind"]], "negotiation.amendment", params=AMENDMENT, key="r2")
    first = Notification.objects.get(key="r1")
    client_for("ind").post("/notifications/read/", {"id": first.pk})
    assert list(
        Notification.objects.filter(read_at__isnull=True).values_list("key", flat=True)
    ) == ["r2"]
    # Another user's id marks nothing of theirs.
    client_for("chn").post("/notifications/read/", {"id": Notification.objects.get(key="r2").pk})
    assert Notification.objects.get(key="r2").read_at is None
