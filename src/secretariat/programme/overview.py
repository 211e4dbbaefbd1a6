"""The overview: who leads what, what is due, what is overdue (typed rows for the page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from secretariat.accounts.models import User
from secretariat.programme.access import visible_initiatives
from secretariat.programme.models import Initiative, Milestone, Participation
from secretariat.programme.reminders import ACTIVE
from secretariat.programme.schedule import cycle_on, due_date


@dataclass(frozen=True)
class OverviewRow:
    initiative: Initiative
    leads: list[Participation]
    cosponsors: list[Participation]
    next_due: date | None
    overdue_since: date | None  # the previous cycle's due date when its report is missing
    next_milestone: Milestone | None = None  # the first milestone not yet done


def overview(user: User, today: date | None = None) -> list[OverviewRow]:
    today = today or timezone.localdate()
    rows: list[OverviewRow] = []
    initiatives = (
        visible_initiatives(user)
        .select_related("reporting_cycle")
        .prefetch_related("participations__delegation", "milestones")
    )
    reported: dict[int, set[int]] = {}
    for initiative in initiatives:
        open_parts = [p for p in initiative.participations.all() if p.left_on is None]
        # the lead first, then the co-leads
        leads = sorted(
            (p for p in open_parts if p.role in ("lead", "co_lead")), key=lambda p: p.role != "lead"
        )
        cosponsors = [p for p in open_parts if p.role == "cosponsor"]
        next_due = overdue = None
        rc = getattr(initiative, "reporting_cycle", None)
        if rc is not None and initiative.status in ACTIVE:
            cycle = cycle_on(rc.start_on, rc.every_months, today)
            next_due = due_date(rc.start_on, rc.every_months, cycle)
            if cycle > 0:
                cycles = reported.setdefault(
                    initiative.pk, set(initiative.reports.values_list("cycle", flat=True))
                )
                if cycle - 1 not in cycles:
                    overdue = due_date(rc.start_on, rc.every_months, cycle - 1)
        open_milestones = [m for m in initiative.milestones.all() if m.done_on is None]
        rows.append(
            OverviewRow(
                initiative,
                leads,
                cosponsors,
                next_due,
                overdue,
                min(open_milestones, key=lambda m: m.due_on) if open_milestones else None,
            )
        )
    return rows


def due_soon(rows: list[OverviewRow], today: date, days: int = 30) -> list[OverviewRow]:
    return [r for r in rows if r.next_due is not None and r.next_due <= today + timedelta(days)]
