"""Background work of the outbox; every task is idempotent (the state is in the rows)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_due_emails() -> int:
    """Send every message that is due now, in batches over one SMTP connection each."""
    from secretariat.outbox.sending import send_due

    return send_due().sent
