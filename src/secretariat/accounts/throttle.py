"""Login and password-reset throttling, counted from the audit log so every web process sees
the same attempts."""

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


RESET_ASKED = "account.password_reset_asked"
RESET_THROTTLED = "account.password_reset_throttled"


def reset_refused(email: str, address: str | None) -> bool:
    """Too many password-reset requests lately for this address, or from this client: at most
    PASSWORD_RESET_PER_EMAIL per email address and PASSWORD_RESET_PER_CLIENT per client address
    within PASSWORD_RESET_WINDOW (refused requests do not count)."""
    since = timezone.now() - settings.PASSWORD_RESET_WINDOW
    recent = AuditEvent.objects.filter(action=RESET_ASKED, at__gte=since)
    if (
        email
        and recent.filter(actor_name__iexact=email).count() >= settings.PASSWORD_RESET_PER_EMAIL
    ):
        return True
    limit = settings.PASSWORD_RESET_PER_CLIENT
    return bool(address) and recent.filter(ip_address=address).count() >= limit


def record_reset_request(email: str, request: HttpRequest | None, *, refused: bool) -> None:
    """Every request is a row (the address asked for, the client): the counts above, and the
    refusals for the secretariat to see. Whether the address has an account is not recorded."""
    audit.record(
        RESET_THROTTLED if refused else RESET_ASKED, request=request, actor_name=email[:150]
    )
