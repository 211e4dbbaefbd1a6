"""What the meetings app (m1) calls: the Senior Officials' review panel and calendar dates.

The lead registers at merge (meetings/hooks.py holds the lists):
    item_panels.append(secretariat.programme.integration.review_panel)
    calendar_sources.append(secretariat.programme.integration.calendar_events)

An agenda item is read through its attributes only (`kind`, `meeting.body_id` and the
meeting's date as `meeting.starts_on`/`start_date`/`date`/`starts_at`), so this module imports
nothing of meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.meetings.hooks import CalendarEntry
from secretariat.programme.access import visible_initiatives, visible_mandates
from secretariat.programme.models import Initiative, Mandate, MandateStatus, Report
from secretariat.programme.reminders import ACTIVE
from secretariat.programme.schedule import cycle_on, due_date

REVIEW_KIND = "review"
_DATE_ATTRS = ("starts_on", "start_date", "date", "starts_at", "start")


@dataclass(frozen=True)
class ReportDue:
    initiative: Initiative
    cycle: int
    due_on: date
    report: Report | None


@dataclass(frozen=True)
class ReviewList:
    mandates: list[Mandate]
    reports: list[ReportDue]


@dataclass(frozen=True)
class DueDate:
    """A date for a user's calendar feed (the lead adapts it to meetings' CalendarEvent)."""

    uid: str
    title: str
    day: date
    url: str


def meeting_date(meeting: Any) -> date | None:
    for attr in _DATE_ATTRS:
        value = getattr(meeting, attr, None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
    return None


def review_list(user: User, body_id: int | None, on: date) -> ReviewList:
    """What a review at a meeting of `body_id` on `on` looks at: the mandates due by then or
    by this body's next meeting (still open or reported), and the initiative reports due."""
    due = Q(due_on__lte=on)
    if body_id is not None:
        due |= Q(due_meeting_of_id=body_id, given_on__lte=on)
    mandates = list(
        visible_mandates(user)
        .filter(due, status__in=[MandateStatus.OPEN, MandateStatus.REPORTED])
        .order_by("due_on", "pk")
    )
    reports: list[ReportDue] = []
    for initiative in (
        visible_initiatives(user)
        .filter(status__in=ACTIVE, reporting_cycle__isnull=False)
        .select_related("reporting_cycle")
    ):
        rc = initiative.reporting_cycle
        if rc.start_on > on:
            continue
        cycle = cycle_on(rc.start_on, rc.every_months, on)
        if due_date(rc.start_on, rc.every_months, cycle) > on:
            cycle -= 1
        report = initiative.reports.filter(cycle=cycle).order_by("-submitted_at").first()
        reports.append(
            ReportDue(initiative, cycle, due_date(rc.start_on, rc.every_months, cycle), report)
        )
    return ReviewList(mandates, reports)


def review_panel(item: Any, user: User) -> str:
    """The HTML panel on a review agenda item ("" on any other item)."""
    if getattr(item, "kind", None) != REVIEW_KIND:
        return ""
    meeting = getattr(item, "meeting", None)
    on = meeting_date(meeting)
    if on is None:
        return ""
    found = review_list(user, getattr(meeting, "body_id", None), on)
    return render_to_string(
        "programme/review_panel.html",
        {"review": found, "item_id": getattr(item, "pk", None), "on": on},
    )


def calendar_events(user: User) -> Iterable[DueDate]:
    """Report due dates and mandate due dates the user may see."""
    for mandate in visible_mandates(user).filter(status=MandateStatus.OPEN, due_on__isnull=False):
        assert mandate.due_on is not None
        yield DueDate(
            f"mandate-{mandate.pk}@programme",
            _("Mandate due: %(task)s") % {"task": mandate.task[:80]},
            mandate.due_on,
            reverse("programme:mandates"),
        )
    for initiative in (
        visible_initiatives(user)
        .filter(status__in=ACTIVE, reporting_cycle__isnull=False)
        .select_related("reporting_cycle")
    ):
        rc = initiative.reporting_cycle
        cycle = cycle_on(rc.start_on, rc.every_months, timezone.localdate())
        yield DueDate(
            f"report-{initiative.pk}-{cycle}@programme",
            _("Report due: %(title)s") % {"title": initiative.title},
            due_date(rc.start_on, rc.every_months, cycle),
            reverse("programme:initiative", args=[initiative.pk]),
        )


def calendar_entries(user: User) -> list[CalendarEntry]:
    """The programme's due dates as the meetings app's calendar entries (all-day events)."""
    return [
        CalendarEntry(uid=due.uid, summary=str(due.title), start=due.day, url=due.url)
        for due in calendar_events(user)
    ]


_ORDER = {"public": 0, "members": 1, "body": 2, "secretariat": 3}


def _narrowest(meeting: Any, negotiation_decision: Any) -> str:
    """The mandate's level: the meeting's, or the negotiation's if the task came from a text
    fewer may read (a body-level text of another body than the meeting's: the secretariat's)."""
    level = str(meeting.access_level)
    if negotiation_decision is None:
        return level
    negotiation = negotiation_decision.negotiation
    other = str(negotiation.access_level)
    if other == level == "body":
        return level if negotiation.body_id == meeting.body_id else "secretariat"
    if _ORDER.get(other, 3) <= _ORDER.get(level, 3):
        return level
    if other == "body" and negotiation.body_id != meeting.body_id:
        return "secretariat"
    return other


def mandate_from_tasking(tasking: Any, actor: User | None) -> Mandate | None:
    """A confirmed task of a meeting decision becomes a tracked mandate (once): given by the
    meeting's body on the decision's date, seen by no more readers than the meeting."""
    from secretariat.programme.actions import do_create_mandate

    existing = Mandate.objects.filter(tasking=tasking).first()
    if existing is not None:
        return existing
    decision = tasking.decision
    meeting = decision.meeting
    if meeting.body is None:
        return None  # a mandate is given by a body
    mandate = do_create_mandate(
        tasking.task,
        given_by=meeting.body,
        given_on=decision.decided_on,
        assignee=tasking.assignee,
        assignee_body=tasking.assignee_body,
        due_on=tasking.due_on,
        due_meeting_of=tasking.due_meeting_of,
        decision=tasking.negotiation_decision,
        access_level=_narrowest(meeting, tasking.negotiation_decision),
        actor=actor,
    )
    mandate.tasking = tasking
    mandate.save(update_fields=["tasking"])
    return mandate


def outcome_panel(meeting: Any, user: User) -> str:
    """The mandates a meeting's decisions created, on its outcome section ("" if none)."""
    mandates = list(
        visible_mandates(user)
        .filter(tasking__decision__meeting_id=meeting.pk)
        .order_by("due_on", "pk")
    )
    if not mandates:
        return ""
    return render_to_string("programme/outcome_panel.html", {"mandates": mandates})
