"""The outbox contract: enqueue in the caller's transaction, idempotent by key, one message per
recipient in the recipient's language, the Message-ID fixed at enqueue."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from secretariat.outbox.api import delivery_status, enqueue_email
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db


def test_enqueue_is_idempotent_by_key_and_fixes_the_message_id(forum) -> None:
    first = enqueue_email(forum["ind"], "tests.greeting", {"n": 1}, key="k-1")
    assert first is not None
    assert first.message_id.startswith("<") and first.message_id.endswith(">")
    assert enqueue_email(forum["ind"], "tests.greeting", {"n": 2}, key="k-1") is None
    row = OutboundEmail.objects.get(key="k-1")
    assert row.params == {"n": 1}
    assert row.message_id == first.message_id
    assert row.to_address == "ind@demo.secretariat.test"
    assert delivery_status(["k-1", "nope"]) == {"k-1": "queued"}


def test_no_address_no_row(forum) -> None:
    user = forum["chn"]
    user.email = ""
    user.save()
    assert enqueue_email(user, "tests.greeting", {}, key="k-none") is None
    assert not OutboundEmail.objects.exists()


def test_enqueue_rolls_back_with_the_change(forum) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email(forum["ind"], "tests.greeting", {}, key="k-rollback")
        raise RuntimeError
    assert not OutboundEmail.objects.exists()


def test_unknown_kind_is_refused(forum) -> None:
    with pytest.raises(ValueError, match="unknown email kind"):
        enqueue_email(forum["ind"], "nobody.registered.this", {}, key="k-x")


def test_one_sender_task_for_many_messages(forum) -> None:
    for i in range(5):
        enqueue_email(forum["ind"], "tests.greeting", {"n": i}, key=f"k-{i}")
    ready = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_due_emails")
    assert ready.count() == 1


def test_one_message_per_recipient_in_their_language(forum, sink, run_tasks) -> None:
    forum["rus"].language = "ru"
    forum["rus"].save()
    rows = {
        name: enqueue_email(forum[name], "tests.greeting", {"n": 3}, key=f"greet-{name}")
        for name in ("ind", "rus", "chn")
    }
    run_tasks()
    received = sink.wait_for(3)
    assert len(received) == 3
    by_to = {r.rcpt_tos: r.message for r in received}
    assert set(by_to) == {(f"{n}@demo.secretariat.test",) for n in ("ind", "rus", "chn")}
    ru = by_to[("rus@demo.secretariat.test",)]
    en = by_to[("ind@demo.secretariat.test",)]
    assert ru["Subject"] == "Уведомления: 3"
    assert en["Subject"] == "Notifications: 3"
    assert ru["To"] == "rus@demo.secretariat.test"  # no shared recipient list
    assert ru["Message-ID"] == rows["rus"].message_id
    assert ru["Content-Language"] == "ru"
    assert "Уведомления" in ru.get_body(("plain",)).get_content()
    assert en["List-Unsubscribe"] is None  # this kind has no opt-out category
    assert delivery_status(rows[n].key for n in rows) == dict.fromkeys(
        (r.key for r in rows.values()), "sent"
    )
    # Running the sender again sends nothing twice.
    run_tasks()
    assert send_due().sent == 0
    assert len(sink.received) == 3


def test_list_unsubscribe_only_where_one_may_opt_out(forum, sink, client) -> None:
    enqueue_email(forum["ind"], "tests.optional", {}, key="opt", list_id="<swg.example.org>")
    enqueue_email(forum["ind"], "tests.official", {}, key="off", list_id="<swg.example.org>")
    assert send_due().sent == 2
    by_key = {}
    for r in sink.received:
        row = OutboundEmail.objects.get(message_id=r.message["Message-ID"])
        by_key[row.key] = r.message
    optional, official = by_key["opt"], by_key["off"]
    assert optional["List-Id"] == official["List-Id"] == "<swg.example.org>"
    assert official["List-Unsubscribe"] is None
    assert optional["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(optional["List-Unsubscribe"]).strip().strip("<>")
    assert url.startswith("http://localhost:8000/outbox/unsubscribe/")


def test_renderer_cancels_when_the_recipient_lost_access(forum, sink) -> None:
    from secretariat.notices.actions import do_post_notice

    notice = do_post_notice(
        title="Internal",
        text="…",
        access_level="secretariat",
        body=None,
        actor=forum["secretariat"],
    )
    enqueue_email(forum["ind"], "tests.greeting", {"notice": notice.pk}, key="leak")
    enqueue_email(forum["secretariat"], "tests.greeting", {"notice": notice.pk}, key="fine")
    report = send_due()
    assert (report.sent, report.cancelled) == (1, 1)
    assert [r.rcpt_tos for r in sink.received] == [("secretariat@demo.secretariat.test",)]
    assert delivery_status(["leak", "fine"]) == {"leak": "cancelled", "fine": "sent"}


def test_mail_status_json_and_send_pending(forum, sink, capsys) -> None:
    for i in range(3):
        enqueue_email(forum["ind"], "tests.greeting", {"n": i}, key=f"s-{i}")
    call_command("mail", "status", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "queued": 3,
        "sending": 0,
        "sent": 0,
        "failed": 0,
    }
    call_command("mail", "send-pending")
    assert "sent 3" in capsys.readouterr().out
    call_command("mail", "status", "--json")
    assert json.loads(capsys.readouterr().out)["sent"] == 3
    assert len(sink.wait_for(3)) == 3
