"""Background work of notifications; idempotent (the state is in the rows)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_digests() -> int:
    """Send the digests that are due; schedules itself for the next one still waiting."""
    from secretariat.notifications.actions import send_due_digests

    return send_due_digests()
