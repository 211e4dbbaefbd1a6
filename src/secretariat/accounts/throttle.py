"""Login throttling, counted from the audit log so every web process sees the same failures."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from secretariat.core import audit
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


def record_refusal(username: str, request: HttpRequest | None) -> None:
    """Audit a login refused by the throttle (no password was checked). Not counted as a
    failure, so waiting out the window is enough; the row shows who kept trying, from where."""
    audit.record("login.throttled", request=request, actor_name=username[:150])
