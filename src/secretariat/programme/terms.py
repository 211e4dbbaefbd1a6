"""Term-bound roles: who holds the chairmanship now (the provider `accounts.access` consults)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from secretariat.accounts.models import Role
from secretariat.accounts.register import presiding_role
from secretariat.programme.models import Term, TermRole


def current_term(role: str = TermRole.CHAIRMANSHIP) -> Term | None:
    """The term in force now: started, and not yet handed over."""
    now = timezone.now()
    return (
        Term.objects.filter(role=role, started_at__lte=now)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .select_related("delegation")
        .order_by("-started_at")
        .first()
    )


def chair_verdict(user: Any) -> bool | None:
    """For `accounts.access.holds_chairmanship`: None while no term of the presiding role is
    recorded (the user's role decides), else whether `user` is a holder of a term in force
    now. The presiding role is the register's: the chairmanship, or (ASEM) the coordinators,
    whose terms the register's seats give (`register_terms`)."""
    now = timezone.now()
    in_force = Q(started_at__lte=now) & (Q(ended_at__isnull=True) | Q(ended_at__gt=now))
    role = TermRole.COORDINATOR if presiding_role() == Role.COORDINATOR else TermRole.CHAIRMANSHIP
    found = Term.objects.filter(role=role).aggregate(  # one query
        terms=Count("pk", distinct=True),
        held=Count("pk", distinct=True, filter=in_force & Q(holders=user.pk)),
    )
    if not found["terms"]:
        return None
    return bool(found["held"])
