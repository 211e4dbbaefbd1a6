"""Changes the secretariat makes to the outbox (each atomic and audited)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.outbox.models import OutboundEmail


class NotRetryable(Exception):
    """Only a failed (or cancelled) message can be queued again."""


def do_retry_email(email: OutboundEmail, *, actor: User) -> OutboundEmail:
    """Queue a failed message again, now; it keeps its Message-ID and its history of errors."""
    from secretariat.outbox.api import _wake_sender

    with transaction.atomic():
        updated = OutboundEmail.objects.filter(
            pk=email.pk, status__in=[OutboundEmail.Status.FAILED, OutboundEmail.Status.CANCELLED]
        ).update(status=OutboundEmail.Status.QUEUED, next_attempt_at=timezone.now(), claim_token="")
        if not updated:
            raise NotRetryable
        old = email.status
        email.refresh_from_db()
        audit.record(
            "outbox.retry",
            actor=actor,
            obj=email,
            old=old,
            new=email.status,
            error=email.last_error,
        )
        _wake_sender()
    return email
