"""The reminder pass: reports due soon and overdue, each reminder once per cycle.

A `Reminder` row (unique per initiative, cycle and kind) is inserted in the same transaction as
the emails it enqueues, so a pass run twice, by two workers, or again after a restart sends
nothing the second time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from secretariat.accounts.access import can_view
from secretariat.accounts.models import User
from secretariat.outbox.api import EmailRequest, enqueue_emails
from secretariat.outbox.lists import ListSpec, members_of
from secretariat.programme import mail
from secretariat.programme.models import (
    Initiative,
    InitiativeStatus,
    Reminder,
    ReminderKind,
    ReportingCycle,
)
from secretariat.programme.schedule import cycle_on, due_date

ACTIVE = (InitiativeStatus.ENDORSED, InitiativeStatus.ONGOING)


@dataclass(frozen=True)
class SentReminder:
    initiative: int
    title: str
    cycle: int
    kind: str
    due_on: date
    recipients: int


def lead_contacts(initiative: Initiative) -> list[User]:
    """The contact points (else heads, else delegates) of the lead and co-lead delegations
    still in the initiative, each once and only if they may see it."""
    codes = tuple(
        initiative.participations.filter(left_on__isnull=True, role__in=["lead", "co_lead"])
        .order_by("delegation__code")
        .values_list("delegation__code", flat=True)
    )
    if not codes:
        return []
    users: dict[int, User] = {}
    for member in members_of(ListSpec(delegations=codes)):
        if member.user.email and can_view(member.user, initiative):
            users.setdefault(member.user.pk, member.user)
    return list(users.values())


def _pending(rc: ReportingCycle, today: date) -> list[tuple[int, str, date]]:
    """(cycle, kind, due) the pass owes now: the coming cycle if within its reminder window,
    and the previous cycle if overdue without a report."""
    owed: list[tuple[int, str, date]] = []
    current = cycle_on(rc.start_on, rc.every_months, today)
    due = due_date(rc.start_on, rc.every_months, current)
    if today >= due - timedelta(days=rc.remind_days):
        owed.append((current, ReminderKind.BEFORE, due))
    if current > 0:
        previous = current - 1
        owed.append(
            (previous, ReminderKind.OVERDUE, due_date(rc.start_on, rc.every_months, previous))
        )
    return owed


def _send(initiative: Initiative, cycle: int, kind: str, due: date) -> SentReminder | None:
    users = lead_contacts(initiative)
    try:
        with transaction.atomic():
            Reminder.objects.create(
                initiative=initiative,
                cycle=cycle,
                kind=kind,
                due_on=due,
                sent_at=timezone.now(),
                recipients=len(users),
            )
            params = {"initiative": initiative.pk, "cycle": cycle, "kind": kind, "due_on": str(due)}
            enqueue_emails(
                [
                    EmailRequest(
                        user,
                        mail.KIND,
                        params,
                        f"programme:reminder:{initiative.pk}:{cycle}:{kind}:user:{user.pk}",
                        "programme.reports",
                    )
                    for user in users
                ]
            )
    except IntegrityError:  # another pass sent it first
        return None
    return SentReminder(initiative.pk, initiative.title, cycle, kind, due, len(users))


def run_pass(today: date | None = None) -> list[SentReminder]:
    """Send every reminder owed today that has not been sent; returns what was sent."""
    today = today or timezone.localdate()
    sent: list[SentReminder] = []
    cycles = ReportingCycle.objects.filter(initiative__status__in=ACTIVE).select_related(
        "initiative"
    )
    for rc in cycles:
        initiative = rc.initiative
        reported = set(initiative.reports.values_list("cycle", flat=True))
        done = set(initiative.reminders.values_list("cycle", "kind"))
        for cycle, kind, due in _pending(rc, today):
            if cycle in reported or (cycle, kind) in done:
                continue
            result = _send(initiative, cycle, kind, due)
            if result is not None:
                sent.append(result)
    return sent
