"""Every change to the programme, initiatives, mandates and terms: one transaction each, audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from secretariat.accounts.models import AccessLevel, Body, Delegation, User
from secretariat.core import audit
from secretariat.documents.actions import Upload, do_create_document
from secretariat.documents.models import Document
from secretariat.programme import access as programme_access
from secretariat.programme.models import (
    Area,
    Assignee,
    Guidance,
    Initiative,
    Mandate,
    MandateStatus,
    Milestone,
    Participation,
    ProgrammeVersion,
    Publication,
    Report,
    ReportingCycle,
    Term,
    TermRole,
    WorkProgramme,
)
from secretariat.programme.schedule import due_date


@dataclass(frozen=True)
class AreaSpec:
    code: str
    title: str
    activities: str = ""
    clusters: tuple[AreaSpec, ...] = ()


# --- the work programme ----------------------------------------------------------------------
@transaction.atomic
def do_adopt_programme(
    programme: WorkProgramme,
    areas: list[AreaSpec],
    *,
    adopted_by: Body,
    adopted_on: date,
    decision: Any = None,
    actor: User | None,
) -> ProgrammeVersion:
    """A new adopted version (the old ones stay); the programme points to it."""
    programme = WorkProgramme.objects.select_for_update().get(pk=programme.pk)
    number = (
        programme.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=number,
        adopted_by=adopted_by,
        adopted_on=adopted_on,
        decision=decision,
        created_by=actor,
    )

    def add(spec: AreaSpec, parent: Area | None, order: int) -> None:
        area = Area.objects.create(
            version=version,
            parent=parent,
            code=spec.code,
            title=spec.title,
            activities=spec.activities,
            order=order,
        )
        for i, cluster in enumerate(spec.clusters):
            add(cluster, area, i)

    for i, spec in enumerate(areas):
        add(spec, None, i)
    programme.current = version
    programme.save(update_fields=["current"])
    audit.record(
        "programme.adopt", actor=actor, obj=version, body=adopted_by.code, on=str(adopted_on)
    )
    return version


@transaction.atomic
def do_create_programme(
    title: str,
    *,
    period_start: date,
    period_end: date,
    areas: list[AreaSpec],
    adopted_by: Body,
    adopted_on: date,
    actor: User | None,
) -> WorkProgramme:
    """A new programme and its first adopted version."""
    if period_end <= period_start:
        raise ValueError("a programme's period ends after it starts")
    programme = WorkProgramme.objects.create(
        title=title, period_start=period_start, period_end=period_end
    )
    audit.record(
        "programme.create",
        actor=actor,
        obj=programme,
        title=title,
        period=[str(period_start), str(period_end)],
    )
    do_adopt_programme(programme, areas, adopted_by=adopted_by, adopted_on=adopted_on, actor=actor)
    programme.refresh_from_db()
    return programme


# --- initiatives -----------------------------------------------------------------------------
@transaction.atomic
def do_create_initiative(
    title: str,
    *,
    area: Area | None,
    leads: list[Delegation],
    joined_on: date,
    status: str = "proposed",
    access_level: str = AccessLevel.MEMBERS,
    body: Body | None = None,
    actor: User | None,
) -> Initiative:
    initiative = Initiative.objects.create(
        title=title, area=area, status=status, access_level=access_level, body=body
    )
    for i, delegation in enumerate(leads):
        Participation.objects.create(
            initiative=initiative,
            delegation=delegation,
            role="lead" if i == 0 else "co_lead",
            joined_on=joined_on,
        )
    audit.record("initiative.create", actor=actor, obj=initiative, leads=[d.code for d in leads])
    return initiative


@transaction.atomic
def do_join_initiative(
    initiative: Initiative, delegation: Delegation, role: str, *, on: date, actor: User | None
) -> Participation:
    participation = Participation.objects.create(
        initiative=initiative, delegation=delegation, role=role, joined_on=on
    )
    audit.record(
        "initiative.join", actor=actor, obj=initiative, delegation=delegation.code, role=role
    )
    return participation


@transaction.atomic
def do_leave_initiative(participation: Participation, *, on: date, actor: User | None) -> None:
    participation.left_on = on
    participation.save(update_fields=["left_on"])
    audit.record(
        "initiative.leave",
        actor=actor,
        obj=participation.initiative,
        delegation=participation.delegation.code,
        on=str(on),
    )


@transaction.atomic
def do_update_initiative(
    initiative: Initiative, *, title: str, area: Area | None, status: str, actor: User | None
) -> Initiative:
    """Title, area and status; the audit row keeps the old and new values of what changed."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    new = {"title": title, "area_id": area.pk if area else None, "status": status}
    old = {name: getattr(initiative, name) for name in new}
    changed = {k: (old[k], v) for k, v in new.items() if old[k] != v}
    if not changed:
        return initiative
    for name, value in new.items():
        setattr(initiative, name, value)
    initiative.save(update_fields=list(new))
    audit.record(
        "initiative.update",
        actor=actor,
        obj=initiative,
        old={k: v[0] for k, v in changed.items()},
        new={k: v[1] for k, v in changed.items()},
    )
    return initiative


@transaction.atomic
def do_set_initiative_status(initiative: Initiative, status: str, *, actor: User | None) -> None:
    old = initiative.status
    initiative.status = status
    initiative.save(update_fields=["status"])
    audit.record("initiative.status", actor=actor, obj=initiative, old=old, new=status)


@transaction.atomic
def do_add_milestone(
    initiative: Initiative, title: str, due_on: date, *, actor: User | None
) -> Milestone:
    milestone = Milestone.objects.create(initiative=initiative, title=title, due_on=due_on)
    audit.record("initiative.milestone", actor=actor, obj=initiative, title=title)
    return milestone


@transaction.atomic
def do_set_reporting_cycle(
    initiative: Initiative,
    *,
    start_on: date,
    every_months: int,
    remind_days: int,
    actor: User | None,
) -> ReportingCycle:
    """The secretariat sets the cycle; the reminder pass is scheduled (a task row with
    run_after) for the first reminder of the next due date, in this transaction."""
    cycle, _created = ReportingCycle.objects.update_or_create(
        initiative=initiative,
        defaults={"start_on": start_on, "every_months": every_months, "remind_days": remind_days},
    )
    audit.record(
        "initiative.cycle",
        actor=actor,
        obj=initiative,
        start_on=str(start_on),
        every_months=every_months,
        remind_days=remind_days,
    )
    from secretariat.programme.tasks import schedule_reminder_pass

    schedule_reminder_pass(cycle)
    return cycle


@transaction.atomic
def do_submit_report(
    initiative: Initiative,
    upload: Upload,
    *,
    cycle: int,
    results: str = "",
    access_level: str | None = None,
    actor: User,
) -> Report:
    """The file goes into the library (its type and size checks); the report keeps the
    initiative's access unless a narrower one is given. Only the initiative's lead or co-lead
    delegation (or the secretariat) may: PermissionDenied otherwise, whoever calls."""
    if not programme_access.can_report(actor, initiative):
        raise PermissionDenied
    level = access_level or initiative.access_level
    document = do_create_document(
        upload,
        actor=actor,
        title=f"{initiative.title}: report {cycle + 1}",
        organization="",
        access_level=level,
        body=initiative.body,
        filed_by_app=True,  # the lead's right to report is checked above
    )
    report = Report.objects.create(
        initiative=initiative,
        cycle=cycle,
        document=document,
        results=results,
        submitted_by=actor,
        submitted_at=timezone.now(),
        access_level=level,
        body=initiative.body,
    )
    audit.record("initiative.report", actor=actor, obj=initiative, cycle=cycle, report=report.pk)
    return report


@transaction.atomic
def do_propose_publication(report: Report, *, actor: User) -> None:
    report.publication = Publication.PROPOSED
    report.save(update_fields=["publication"])
    audit.record("initiative.report.propose", actor=actor, obj=report)


@transaction.atomic
def do_publish_results(report: Report, *, actor: User) -> None:
    """The secretariat approves: the results (not the report file) go on the public portal."""
    report.publication = Publication.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["publication", "published_at"])
    audit.record("initiative.report.publish", actor=actor, obj=report)


# --- mandates --------------------------------------------------------------------------------
@transaction.atomic
def do_create_mandate(
    task: str,
    *,
    given_by: Body,
    given_on: date,
    assignee: str,
    assignee_body: Body | None = None,
    assignee_delegation: Delegation | None = None,
    due_on: date | None = None,
    due_meeting_of: Body | None = None,
    decision: Any = None,
    access_level: str = AccessLevel.MEMBERS,
    actor: User | None,
) -> Mandate:
    if due_on is None and due_meeting_of is None:
        raise ValueError("a mandate is due by a date or by a body's next meeting")
    if assignee not in Assignee.values:
        raise ValueError(f"unknown assignee {assignee!r}")
    mandate = Mandate.objects.create(
        task=task,
        given_by=given_by,
        given_on=given_on,
        assignee=assignee,
        assignee_body=assignee_body,
        assignee_delegation=assignee_delegation,
        due_on=due_on,
        due_meeting_of=due_meeting_of,
        decision=decision,
        access_level=access_level,
        body=given_by,
    )
    audit.record("mandate.create", actor=actor, obj=mandate, assignee=assignee)
    return mandate


@transaction.atomic
def do_receive_mandate_report(mandate: Mandate, document: Document, *, actor: User) -> Mandate:
    """The report arrives: the mandate is reported on (the review then closes it)."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    mandate.report = document
    mandate.reported_at = timezone.now()
    mandate.status = MandateStatus.REPORTED
    mandate.save(update_fields=["report", "reported_at", "status"])
    audit.record("mandate.report", actor=actor, obj=mandate, document=document.pk)
    return mandate


@transaction.atomic
def do_record_guidance(
    text: str,
    *,
    mandate: Mandate | None = None,
    report: Report | None = None,
    agenda_item_id: int | None = None,
    close: bool = False,
    actor: User,
) -> Guidance:
    guidance = Guidance.objects.create(
        mandate=mandate,
        report=report,
        agenda_item_id=agenda_item_id,
        text=text,
        given_at=timezone.now(),
        given_by=actor,
    )
    if mandate is not None and close:
        mandate.status = MandateStatus.CLOSED
        mandate.save(update_fields=["status"])
    audit.record(
        "programme.guidance",
        actor=actor,
        obj=mandate or report,
        agenda_item=agenda_item_id,
        closed=close,
    )
    return guidance


# --- terms -----------------------------------------------------------------------------------
@transaction.atomic
def do_record_handover(
    delegation: Delegation,
    holders: list[User],
    *,
    at: datetime,
    role: str = TermRole.CHAIRMANSHIP,
    planned_end: date | None = None,
    elected_by: str = "",
    actor: User | None,
) -> Term:
    """The incoming holder's term starts at `at` (e.g. the opening of the Ministerial Council
    that elected it) and the outgoing term ends then: rights pass at that moment, not before."""
    outgoing = (
        Term.objects.select_for_update()
        .filter(role=role, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if outgoing is not None:
        if at < outgoing.started_at:
            raise ValueError("a handover cannot precede the outgoing term's start")
        outgoing.ended_at = at
        outgoing.save(update_fields=["ended_at"])
    term = Term.objects.create(
        role=role,
        delegation=delegation,
        started_at=at,
        planned_end=planned_end,
        elected_by=elected_by,
        previous=outgoing,
    )
    term.holders.set(holders)
    audit.record(
        "term.handover",
        actor=actor,
        obj=term,
        role=role,
        incoming=delegation.code,
        outgoing=outgoing.delegation.code if outgoing is not None else None,
        at=at.isoformat(),
    )
    return term


def report_due_on(initiative: Initiative, cycle: int) -> date | None:
    rc = ReportingCycle.objects.filter(initiative=initiative).first()
    return None if rc is None else due_date(rc.start_on, rc.every_months, cycle)
