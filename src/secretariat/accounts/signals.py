"""Logins, logouts and failed logins go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from secretariat.core import audit


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record("login", actor=user, obj=user, request=request)


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("logout", actor=user, obj=user, request=request)


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    audit.record(
        "login.failed", request=request, actor_name=str(credentials.get("username", ""))[:150]
    )


@receiver(user_logged_in)
def _start_session(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A sign-in gets its row in "Active sessions" and decides afresh whether a code is due."""
    from secretariat.accounts import sessions, twofactor

    if request is None or getattr(request, "session", None) is None:
        return
    twofactor.on_login(request, user)
    sessions.record_session(request, user)
