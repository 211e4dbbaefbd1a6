"""The reminder pass as a background task: rows of django-tasks-db with run_after, so a
scheduled pass survives restarts; the pass itself is idempotent (a unique key per initiative,
cycle and kind)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from secretariat.outbox.scheduling import ensure_task
from secretariat.programme.models import ReportingCycle
from secretariat.programme.schedule import cycle_on, due_date


def _at(day_offset_from: datetime, days: int) -> datetime:
    day = (day_offset_from + timedelta(days=days)).date()
    return timezone.make_aware(datetime.combine(day, time(6, 0)))


@task()
def reminder_pass() -> int:
    """Send the reminders owed today; the next pass is scheduled for tomorrow morning."""
    from secretariat.programme.reminders import run_pass

    sent = run_pass()
    ensure_task(reminder_pass, _at(timezone.now(), 1))
    return len(sent)


def schedule_reminder_pass(rc: ReportingCycle) -> None:
    """Inside the caller's transaction: a pass no later than the next reminder of `rc`."""
    today = timezone.localdate()
    cycle = cycle_on(rc.start_on, rc.every_months, today)
    first = due_date(rc.start_on, rc.every_months, cycle) - timedelta(days=rc.remind_days)
    at = max(timezone.now(), timezone.make_aware(datetime.combine(first, time(6, 0))))
    ensure_task(reminder_pass, at)
