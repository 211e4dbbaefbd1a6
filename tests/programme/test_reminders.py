"""Reporting reminders: before the due date and again when overdue, once per cycle and kind,
delivered through the outbox to a real SMTP server; the command prints what it sent."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from secretariat.programme import actions
from secretariat.programme.models import Reminder
from secretariat.programme.reminders import run_pass

pytestmark = pytest.mark.django_db


def _cycle(initiative, forum, start_on, every_months=6, remind_days=14):
    return actions.do_set_reporting_cycle(
        initiative,
        start_on=start_on,
        every_months=every_months,
        remind_days=remind_days,
        actor=forum["secretariat"],
    )


def test_reminder_before_due_goes_to_the_leads_once(forum, make_initiative, sink, run_tasks):
    today = timezone.localdate()
    ict = make_initiative()
    _cycle(ict, forum, today + timedelta(days=5))

    sent = run_pass(today)
    assert [(s.cycle, s.kind, s.recipients) for s in sent] == [(0, "before", 2)]
    assert run_pass(today) == []  # a second pass the same day sends nothing
    run_tasks()
    received = sink.wait_for(2)
    assert sorted(r.rcpt_tos[0] for r in received) == [
        "chn@demo.secretariat.test",
        "rus@demo.secretariat.test",
    ]
    assert all("Report due" in r.message["Subject"] for r in received)
    assert ict.title in received[0].message.get_payload(decode=True).decode() or ict.title in str(
        received[0].message
    )


def test_no_reminder_outside_the_window_nor_for_inactive(forum, make_initiative):
    today = timezone.localdate()
    ict = make_initiative()
    _cycle(ict, forum, today + timedelta(days=30), remind_days=14)
    proposed = make_initiative("Proposed CBM", status="proposed")
    _cycle(proposed, forum, today + timedelta(days=1))
    assert run_pass(today) == []


def test_overdue_reminder_after_the_due_date(forum, make_initiative, sink, run_tasks):
    today = timezone.localdate()
    ict = make_initiative()
    _cycle(ict, forum, today - timedelta(days=3))

    sent = run_pass(today)
    assert [(s.cycle, s.kind) for s in sent] == [(0, "overdue")]
    assert run_pass(today) == []
    run_tasks()
    received = sink.wait_for(2)
    assert all("Overdue report" in r.message["Subject"] for r in received)
    assert Reminder.objects.filter(initiative=ict, cycle=0, kind="overdue").count() == 1


def test_a_received_report_stops_the_overdue_reminder(forum, make_initiative, submit_report):
    today = timezone.localdate()
    ict = make_initiative()
    _cycle(ict, forum, today - timedelta(days=3))
    submit_report(ict, cycle=0)
    assert run_pass(today) == []


def test_russian_reader_gets_the_reminder_in_russian(forum, make_initiative, sink, run_tasks):
    rus = forum["rus"]
    rus.language = "ru"
    rus.save(update_fields=["language"])
    ict = make_initiative()
    _cycle(ict, forum, timezone.localdate() - timedelta(days=1))
    run_pass()
    run_tasks()
    received = {r.rcpt_tos[0]: r.message for r in sink.wait_for(2)}
    subject = str(received["rus@demo.secretariat.test"]["Subject"])
    from email.header import decode_header, make_header

    assert "Просроченный отчёт" in str(make_header(decode_header(subject)))


def test_command_runs_the_pass_and_prints_json(forum, make_initiative):
    ict = make_initiative()
    _cycle(ict, forum, timezone.localdate() + timedelta(days=2))
    out = io.StringIO()
    call_command("initiatives", "remind", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["initiative"], r["kind"], r["recipients"]) for r in rows] == [(ict.pk, "before", 2)]
    out = io.StringIO()
    call_command("initiatives", "remind", "--json", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_setting_a_cycle_schedules_the_pass_as_a_task_row(forum, make_initiative):
    from django_tasks_db.models import DBTaskResult

    ict = make_initiative()
    start = timezone.localdate() + timedelta(days=60)
    _cycle(ict, forum, start, remind_days=10)
    rows = DBTaskResult.objects.filter(task_path__endswith="programme.tasks.reminder_pass")
    assert rows.count() == 1
    assert rows.get().run_after.date() == start - timedelta(days=10)
