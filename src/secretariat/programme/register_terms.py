"""The register's coordinator seats as term-bound roles (docs/forum-register.md).

Each seat the register lists (`presiding.seats`: the EU's permanent seat, the rotating EU
Presidency and Asian coordinators, each with its dates) becomes a coordinator's `Term` of its
holder delegation, from the seat's first day until the day after its last, held by that
delegation's coordinators. `terms.chair_verdict` then answers `accounts.access.
holds_chairmanship` from the terms in force, so a rotating seat hands over on its date without
a reload. Runs inside the register load's transaction (a `Section` with no key of its own)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from secretariat.accounts.forum_register import RegisterFile, Section, Sync, register_section
from secretariat.accounts.models import CoordinatorSeat, Delegation, Role, User
from secretariat.programme.models import Term, TermRole

# A seat without a first day has been held "since always" for the terms' purpose.
SINCE_ALWAYS = date(1900, 1, 1)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _no_check(reg: RegisterFile, parties: set[str]) -> None:
    return None


def _apply(entries: list[Any], delegations: dict[str, Delegation], sync: Sync, today: date) -> None:
    seats = CoordinatorSeat.objects.select_related("group", "holder").order_by("pk")
    for seat in seats:
        label = f"term {seat.group.code} {seat.label}: {seat.holder.code}"
        term = sync.row(
            Term,
            label,
            {"seat": seat},
            {
                "role": TermRole.COORDINATOR,
                "delegation": seat.holder,
                "started_at": _at(seat.starts_on or SINCE_ALWAYS),
                "planned_end": seat.ends_on,
                "ended_at": _at(seat.ends_on + timedelta(days=1)) if seat.ends_on else None,
            },
        )
        holders = User.objects.filter(
            delegation=seat.holder, role=Role.COORDINATOR, is_active=True
        ).order_by("pk")
        sync.members(label, term.holders, holders)


def register() -> None:
    # Keyed apart from the file's sections: it reads the seats the register has just written.
    register_section(Section("(coordinator terms)", _no_check, _apply))
