"""The registration reminder pass as a background task (a django-tasks-db row with run_after,
so a scheduled pass survives restarts; the pass itself is idempotent)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from secretariat.outbox.scheduling import ensure_task


@task()
def registration_reminder_pass() -> int:
    """Send the registration reminders owed now; schedule the next pass if one is owed later."""
    from secretariat.meetings.reminders import next_window, run_pass

    now = timezone.now()
    sent = run_pass(now)
    upcoming = next_window(now)
    if upcoming is not None:
        ensure_task(registration_reminder_pass, upcoming)
    return len(sent)
