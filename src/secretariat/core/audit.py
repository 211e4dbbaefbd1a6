"""Writing the audit log. Call `record` inside the transaction of the change it describes."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from secretariat.core.models import AuditEvent


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a known proxy sets it.
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one audit row; `detail` holds old/new values or anything else worth keeping."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        # Without a user or a request the change comes from a command or a task.
        actor_name=actor_name
        or (actor.get_username() if actor is not None else "" if request else "system"),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        ip_address=client_address(request),
        detail=detail,
    )
