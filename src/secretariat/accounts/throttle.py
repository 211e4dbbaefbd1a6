"""Login throttling, counted from the audit log so every web process sees the same failures."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from secretariat.core.models import AuditEvent


def is_locked_out(username: str, address: str | None) -> bool:
    """Too many failed logins lately for this user name, or from this address."""
    since = timezone.now() - settings.LOGIN_THROTTLE_WINDOW
    recent = AuditEvent.objects.filter(action="login.failed", at__gte=since)
    limit = settings.LOGIN_THROTTLE_FAILURES
    if username and recent.filter(actor_name__iexact=username).count() >= limit:
        return True
    # An address gets more room: a whole delegation may sit behind one gateway.
    return bool(address) and recent.filter(ip_address=address).count() >= limit * 4
