"""Who may see and act in a negotiation, on top of the forum's access policy.

A negotiation is body-restricted content: delegations outside the body get 404. Within it a
user acts under one code only, their own (`IND`, or the negotiation's chair code for the
Chairmanship); observers and the secretariat state no positions. The chair and the
secretariat steer (compile, edit the working text, decide). Issued revisions are frozen.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from secretariat.accounts import access as policy
from secretariat.accounts.models import Role
from secretariat.negotiation.models import Negotiation


def visible_negotiations(user: Any) -> Any:
    return policy.visible(user, Negotiation.objects.select_related("body"))


def acting_code(user: Any, negotiation: Negotiation) -> str | None:
    """The code `user` speaks under in this negotiation, or None if they may not act."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role == Role.OBSERVER or not policy.can_view(user, negotiation):
        return None
    if user.role == Role.CHAIR:
        return negotiation.chair_code
    code = user.acting_code
    if code is None or negotiation.body_id is None:
        return None
    if user.delegation_id not in set(negotiation.body.members.values_list("pk", flat=True)):
        return None
    return code


def can_steer(user: Any, negotiation: Negotiation) -> bool:
    """Compile revisions, edit the working text, record decisions: chair and secretariat."""
    if not policy.can_view(user, negotiation):
        return False
    return policy.is_secretariat(user) or getattr(user, "role", None) == Role.CHAIR


def get_negotiation_for(request: HttpRequest, pk: int, *, write: bool = False) -> Negotiation:
    """404 if the user may not see it; with `write`, 403 unless they may act in it."""
    negotiation = policy.get_object_for(
        request,
        Negotiation.objects.select_related("body"),
        pk=pk,
        audit_view=not write,
    )
    if (
        write
        and acting_code(request.user, negotiation) is None
        and not can_steer(request.user, negotiation)
    ):
        raise PermissionDenied
    return negotiation


def require_code(request: HttpRequest, negotiation: Negotiation) -> str:
    code = acting_code(request.user, negotiation)
    if code is None:
        raise PermissionDenied
    return code


def require_steer(request: HttpRequest, negotiation: Negotiation) -> None:
    if not can_steer(request.user, negotiation):
        raise PermissionDenied


def require_visible(user: Any, negotiation: Negotiation) -> None:
    if not policy.can_view(user, negotiation):
        raise Http404
