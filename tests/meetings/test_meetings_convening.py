"""Convening notes, registration reminders and confirmations through the notes and the outbox:
a draft note verbale from the meeting, issued by the secretariat, convenes the meeting and goes
by mail to the body's distribution list; reminders go once per meeting and delegation to those
who have not registered; an approval mails the delegation's contact points. Mail is delivered
to a real SMTP server and read back, in the reader's language."""

from __future__ import annotations

from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.utils import timezone

from secretariat.communications import actions as notes
from secretariat.core.models import AuditEvent
from secretariat.meetings import actions, reminders
from secretariat.meetings.models import Meeting, RegistrationReminder

pytestmark = pytest.mark.django_db


def _subject(message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def _body(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


def _russian(forum, username: str = "rus") -> None:
    user = forum[username]
    user.language = "ru"
    user.save(update_fields=["language"])


def test_convening_drafts_a_note_whose_issue_convenes_and_mails_the_body(
    forum, make_meeting, house_style, client_for, sink, run_tasks
) -> None:
    _russian(forum)
    deadline = timezone.now() + timedelta(days=30)
    meeting = make_meeting(
        "SWG", title="SWG meeting on the Astana Statement", registration_deadline=deadline
    )
    response = client_for("secretariat").post(
        f"/meetings/{meeting.pk}/convene/", {"series": "SWG/OI"}
    )
    meeting.refresh_from_db()
    note = meeting.convening_note
    assert note is not None and response.status_code == 302
    assert response["Location"] == note.get_absolute_url()
    assert note.status == "draft" and note.kind == "to_body" and note.body.code == "SWG"
    assert meeting.status == Meeting.Status.PLANNED  # a draft does not convene
    editions = {e.language: e for e in note.editions.all()}
    assert sorted(editions) == ["en", "kk", "ru"]
    en, ru = editions["en"].text, editions["ru"].text
    assert "SWG meeting on the Astana Statement" in en and "Astana" in en
    assert "3 June 2030, 10:00 (Asia/Almaty)" in en
    assert f"/meetings/{meeting.pk}/" in en
    assert "3 июня 2030" in ru  # the Russian month in the genitive
    assert "2030 жылғы 3 маусым, 10:00" in editions["kk"].text  # Kazakh: the year first
    assert timezone.localtime(deadline, meeting_zone(meeting)).strftime("%H:%M") in en
    # A delegate sees the meeting but not the secretariat's draft note.
    page = client_for("ind").get(f"/meetings/{meeting.pk}/").content.decode()
    assert note.get_absolute_url() not in page
    # A second convening is refused while the first draft stands.
    again = client_for("secretariat").post(f"/meetings/{meeting.pk}/convene/", {"series": "SWG/OI"})
    assert again.status_code == 302 and Meeting.objects.get(pk=meeting.pk).convening_note == note

    officer = forum["secretariat"]
    notes.do_approve_note(note, actor=officer)
    issued = notes.do_issue_note(note, actor=officer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED and meeting.sequence == 1
    assert issued.reference == "SWG/OI/1262"
    assert AuditEvent.objects.filter(action="meeting.convening_note", object_id=str(meeting.pk))
    assert (
        note.get_absolute_url()
        in client_for("ind").get(f"/meetings/{meeting.pk}/").content.decode()
    )

    run_tasks()
    received = {r.rcpt_tos[0]: r.message for r in sink.wait_for(4, timeout=30)}
    assert sorted(received) == [
        "chn@demo.secretariat.test",
        "ind@demo.secretariat.test",
        "isr@demo.secretariat.test",
        "rus@demo.secretariat.test",
    ]
    assert "SWG/OI/1262" in _subject(received["ind@demo.secretariat.test"])
    assert "Convening of the SWG meeting" in _subject(received["ind@demo.secretariat.test"])
    assert "О созыве" in _subject(received["rus@demo.secretariat.test"])


def meeting_zone(meeting):
    from zoneinfo import ZoneInfo

    return ZoneInfo(meeting.time_zone)


def test_convening_is_the_secretariats(forum, make_meeting, ict_meeting, house_style, client_for):
    meeting = make_meeting()
    assert (
        client_for("ind").post(f"/meetings/{meeting.pk}/convene/", {"series": "NV"}).status_code
        == 403
    )
    # an outsider of the ICT working group does not learn the meeting exists
    assert (
        client_for("ind").post(f"/meetings/{ict_meeting.pk}/convene/", {"series": "NV"}).status_code
        == 404
    )
    # an unknown register is refused without a note
    bad = client_for("secretariat").post(f"/meetings/{meeting.pk}/convene/", {"series": "NOPE\x00"})
    assert bad.status_code == 302 and Meeting.objects.get(pk=meeting.pk).convening_note is None
    # a meeting only the secretariat sees is not announced to the body
    hidden = make_meeting(title="Secretariat retreat", access_level="secretariat")
    refused = client_for("secretariat").post(f"/meetings/{hidden.pk}/convene/", {"series": "NV"})
    assert refused.status_code == 302
    assert Meeting.objects.get(pk=hidden.pk).convening_note is None
    # the secretariat sees the convening form on a planned meeting
    page = client_for("secretariat").get(f"/meetings/{meeting.pk}/").content.decode()
    assert 'id="convene-form"' in page and 'value="SWG/OI" selected' in page


def _convened_ict(forum, make_meeting, deadline_in: timedelta):
    from secretariat.communications.models import Series

    meeting = make_meeting(
        "ICT-WG",
        title="ICT working group session",
        registration_deadline=timezone.now() + deadline_in,
    )
    officer = forum["secretariat"]
    from secretariat.meetings.convening import do_draft_convening_note

    note = do_draft_convening_note(meeting, series=Series.objects.get(code="NV"), actor=officer)
    notes.do_approve_note(note, actor=officer)
    notes.do_issue_note(note, actor=officer)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED
    return meeting


def test_registration_reminder_once_to_delegations_not_registered(
    forum, make_meeting, house_style, sink, run_tasks
) -> None:
    _russian(forum)
    meeting = _convened_ict(forum, make_meeting, timedelta(days=3))
    run_tasks()  # the convening note's own mails, and the scheduled pass
    sink.wait_for(2, timeout=30)
    rows = list(
        RegistrationReminder.objects.filter(meeting=meeting).values_list(
            "delegation__code", "recipients"
        )
    )
    # every ICT-WG member; only CHN and RUS have users with a mail address in the demo
    assert sorted(rows) == [("CHN", 1), ("IRAN", 0), ("KAZ", 0), ("RUS", 1), ("THA", 0)]
    assert reminders.run_pass() == []  # never twice
    run_tasks()
    received = [r for r in sink.wait_for(4, timeout=30)]
    reminders_received = {
        r.rcpt_tos[0]: r.message
        for r in received
        if "gistration" in _subject(r.message) or "Регистрация" in _subject(r.message)
    }
    assert sorted(reminders_received) == ["chn@demo.secretariat.test", "rus@demo.secretariat.test"]
    assert "ICT working group session" in _subject(reminders_received["chn@demo.secretariat.test"])
    assert f"/meetings/{meeting.pk}/registration/" in _body(
        reminders_received["chn@demo.secretariat.test"]
    )
    assert "Регистрация" in _subject(reminders_received["rus@demo.secretariat.test"])
    assert len(sink.received) == 4


def test_no_reminder_for_a_registered_delegation_nor_before_the_window(
    forum, make_meeting, house_style
) -> None:
    far = _convened_ict(forum, make_meeting, timedelta(days=30))
    assert reminders.run_pass() == []  # the window opens 7 days before the deadline
    assert reminders.next_window(timezone.now()) == far.registration_deadline - timedelta(days=7)
    soon = _convened_ict(forum, make_meeting, timedelta(days=2))
    from secretariat.accounts.models import Delegation

    actions.do_register_participant(
        soon,
        Delegation.objects.get(code="CHN"),
        actions.ParticipantFields(name="Wang Lei", is_head=True, rank=1),
        actor=forum["chn"],
    )
    sent = reminders.run_pass()
    assert sorted(s.delegation for s in sent) == ["IRAN", "KAZ", "RUS", "THA"]
    assert all(s.meeting == soon.pk for s in sent)


def test_convening_schedules_the_pass_as_a_task_row(forum, make_meeting, house_style) -> None:
    from django_tasks_db.models import DBTaskResult

    meeting = _convened_ict(forum, make_meeting, timedelta(days=20))
    row = DBTaskResult.objects.get(
        task_path="secretariat.meetings.tasks.registration_reminder_pass"
    )
    assert row.run_after == meeting.registration_deadline - timedelta(days=7)


def test_approval_mails_a_confirmation_once_in_the_readers_language(
    forum, make_meeting, house_style, client_for, sink, run_tasks
) -> None:
    from secretariat.accounts.models import Delegation

    _russian(forum)
    meeting = make_meeting("ICT-WG", title="ICT working group session")
    rus = Delegation.objects.get(code="RUS")
    actions.do_register_participant(
        meeting,
        rus,
        actions.ParticipantFields(name="Ivan Petrov", is_head=True, rank=1),
        actor=forum["rus"],
    )
    accreditation = actions.do_submit_accreditation(
        meeting, rus, note=(b"Note verbale of accreditation.", "note.txt"), actor=forum["rus"]
    )
    url = f"/meetings/{meeting.pk}/registration/{accreditation.pk}/approve/"
    assert client_for("rus").post(url).status_code == 403
    assert client_for("secretariat").post(url).status_code == 302
    assert client_for("secretariat").post(url).status_code == 302  # approving again: no mail
    run_tasks()
    received = sink.wait_for(1, timeout=30)
    assert [r.rcpt_tos[0] for r in received] == ["rus@demo.secretariat.test"]
    message = received[0].message
    assert "Регистрация одобрена" in _subject(message)
    assert "Ivan Petrov" in _body(message)
    run_tasks()
    assert len(sink.received) == 1


def test_a_waiting_reminder_is_dropped_once_the_delegation_registers(
    forum, make_meeting, house_style, sink, run_tasks
) -> None:
    from secretariat.accounts.models import Delegation
    from secretariat.outbox.models import OutboundEmail

    meeting = _convened_ict(forum, make_meeting, timedelta(days=3))
    assert {s.delegation for s in reminders.run_pass() if s.recipients} == {"CHN", "RUS"}
    actions.do_register_participant(  # China registers before the outbox sends
        meeting,
        Delegation.objects.get(code="CHN"),
        actions.ParticipantFields(name="Wang Lei", is_head=True, rank=1),
        actor=forum["chn"],
    )
    run_tasks()
    received = sink.wait_for(3, timeout=30)  # the note to CHN and RUS, the reminder to RUS
    reminded = [r.rcpt_tos[0] for r in received if "Registration" in _subject(r.message)]
    assert reminded == ["rus@demo.secretariat.test"]
    statuses = dict(
        OutboundEmail.objects.filter(kind="meetings.registration_reminder").values_list(
            "to_address", "status"
        )
    )
    assert statuses == {
        "chn@demo.secretariat.test": "cancelled",
        "rus@demo.secretariat.test": "sent",
    }
