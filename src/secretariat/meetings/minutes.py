"""Minutes and outcome of a meeting: summary records per agenda item (kept versions, circulated
for comments, final), the decisions the body took (the adoption of the agenda among them) with
the negotiation decisions and library documents they cover, and the taskings that become
mandates. Every change is one transaction with its audit row; every read rule lives here too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts import access as policy
from secretariat.accounts.models import Body, Delegation, Role, User
from secretariat.core import audit
from secretariat.documents.models import Document
from secretariat.meetings import hooks
from secretariat.meetings.access import acting_delegation, may_manage, visible_meetings
from secretariat.meetings.models import (
    AgendaEdition,
    AgendaItem,
    Meeting,
    MeetingDecision,
    Participant,
    RecordComment,
    RecordVersion,
    SummaryRecord,
    Tasking,
)
from secretariat.meetings.taskings import find_tasks, operative_paragraphs
from secretariat.negotiation.access import visible_negotiations
from secretariat.negotiation.models import Decision

log = logging.getLogger(__name__)


class MinutesError(ValueError):
    """A change refused for a reason the user can read."""


# --- who reads what ----------------------------------------------------------------------------
def participant_delegation(user: Any, meeting: Meeting) -> Delegation | None:
    """The user's delegation if it is registered for the meeting (has participants)."""
    delegation = acting_delegation(user, meeting)
    if delegation is None:
        return None
    if not Participant.objects.filter(meeting=meeting, delegation=delegation).exists():
        return None
    return delegation


def may_read_record(user: Any, record: SummaryRecord | None, meeting: Meeting) -> bool:
    """The meeting is already judged visible: the secretariat reads every state; participants
    and the steering roles a circulated record; everyone who sees the meeting a final one."""
    if record is None:
        return False
    if may_manage(user):
        return True
    if record.status == SummaryRecord.Status.FINAL:
        return True
    if record.status == SummaryRecord.Status.CIRCULATED:
        return policy.is_steering(user) or participant_delegation(user, meeting) is not None
    return False


def may_comment(user: Any, record: SummaryRecord | None, meeting: Meeting) -> bool:
    if record is None or record.status != SummaryRecord.Status.CIRCULATED:
        return False
    if record.comments_due is not None and timezone.now() > record.comments_due:
        return False
    return participant_delegation(user, meeting) is not None


def comments_for(user: Any, record: SummaryRecord, meeting: Meeting) -> QuerySet[RecordComment]:
    """The secretariat reads every comment; a delegation its own."""
    qs = record.comments.select_related("delegation", "version")
    if may_manage(user):
        return qs
    delegation = acting_delegation(user, meeting)
    if delegation is None:
        return qs.none()
    return qs.filter(delegation=delegation)


def visible_negotiation_decisions(user: Any, decision: MeetingDecision) -> list[Decision]:
    return list(
        decision.negotiation_decisions.filter(
            negotiation__in=visible_negotiations(user)
        ).select_related("negotiation", "body")
    )


def visible_outcome_documents(user: Any, decision: MeetingDecision) -> list[Document]:
    return list(policy.visible(user, decision.outcome_documents.all()))


def decisions_of(user: Any, meeting: Meeting) -> list[MeetingDecision]:
    """The meeting's decisions; those on an item only if the reader may see the item (a
    delegation sees items that were published)."""
    qs = meeting.decisions.select_related("item").prefetch_related("taskings")
    if not may_manage(user):
        published = AgendaEdition.objects.filter(meeting=meeting).values("lines__item")
        qs = qs.filter(Q(item__isnull=True) | Q(item__in=published))
    return list(qs)


def body_decisions(user: Any, body: Body) -> QuerySet[MeetingDecision]:
    """The decisions taken at the meetings of a body that the user may see."""
    qs = MeetingDecision.objects.filter(
        meeting__in=visible_meetings(user).filter(body=body)
    ).select_related("meeting", "item")
    if not may_manage(user):
        published = AgendaEdition.objects.values("lines__item")
        qs = qs.filter(Q(item__isnull=True) | Q(item__in=published))
    return qs.order_by("-decided_on", "-meeting_id", "-number")


# --- summary records ---------------------------------------------------------------------------
def _locked_record(item: AgendaItem) -> SummaryRecord:
    record, _created = SummaryRecord.objects.get_or_create(item=item)
    return SummaryRecord.objects.select_for_update().get(pk=record.pk)


@transaction.atomic
def do_save_record(item: AgendaItem, text: str, *, actor: User | None) -> RecordVersion:
    """A new kept version of the item's summary record (not once it is final)."""
    record = _locked_record(item)
    if record.status == SummaryRecord.Status.FINAL:
        raise MinutesError(_("The summary record is final."))
    current = record.current
    if current is not None and current.text == text:
        return current
    number = (record.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = RecordVersion.objects.create(
        record=record, number=number, text=text, created_by=actor
    )
    audit.record(
        "minutes.save",
        actor=actor,
        obj=item.meeting,
        item=item.pk,
        version=number,
        status=record.status,
    )
    return version


@transaction.atomic
def do_circulate_record(
    record: SummaryRecord, comments_due: datetime | None, *, actor: User | None
) -> SummaryRecord:
    record = SummaryRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == SummaryRecord.Status.FINAL:
        raise MinutesError(_("The summary record is final."))
    if not record.versions.exists():
        raise MinutesError(_("Write the summary record before circulating it."))
    if comments_due is not None and comments_due <= timezone.now():
        raise MinutesError(_("The deadline for comments must be in the future."))
    record.status = SummaryRecord.Status.CIRCULATED
    record.comments_due = comments_due
    record.circulated_at = timezone.now()
    record.save(update_fields=["status", "comments_due", "circulated_at"])
    _notify_circulated(record)
    audit.record(
        "minutes.circulate",
        actor=actor,
        obj=record.item.meeting,
        item=record.item_id,
        due=comments_due.isoformat() if comments_due else "",
    )
    return record


CIRCULATED_KIND = "meetings.minutes_circulated"


def register_kinds() -> None:
    from django.utils.translation import gettext_lazy

    from secretariat.notifications.kinds import register
    from secretariat.notifications.models import Category

    register(
        CIRCULATED_KIND,
        Category.OTHER,
        template=gettext_lazy(
            "The summary record of “%(item)s” (%(meeting)s) is circulated for your comments."
        ),
    )


def _notify_circulated(record: SummaryRecord) -> None:
    """Tell the participating delegations' people (in their own language, when they read it)."""
    from secretariat.notifications.actions import notify

    item = record.item
    meeting = item.meeting
    delegations = Participant.objects.filter(meeting=meeting, delegation__isnull=False).values(
        "delegation"
    )
    people = User.objects.filter(delegation__in=delegations, is_active=True).exclude(
        role=Role.OBSERVER
    )
    notify(
        people,
        CIRCULATED_KIND,
        params={"item": item.title, "meeting": meeting.title},
        url=item.get_absolute_url(),
        key=f"minutes-circulated-{record.pk}-{record.versions.count()}",
        target=meeting,
    )


@transaction.atomic
def do_comment(
    record: SummaryRecord, delegation: Delegation, text: str, *, actor: User
) -> RecordComment:
    record = SummaryRecord.objects.select_for_update().get(pk=record.pk)
    meeting = record.item.meeting
    if not may_comment(actor, record, meeting):
        raise MinutesError(_("Comments on this summary record are closed."))
    if participant_delegation(actor, meeting) != delegation:
        raise MinutesError(_("You may comment only for your own delegation."))
    version = record.current
    assert version is not None  # circulated records have a version
    comment = RecordComment.objects.create(
        record=record, version=version, delegation=delegation, author=actor, text=text
    )
    audit.record(
        "minutes.comment",
        actor=actor,
        obj=meeting,
        item=record.item_id,
        delegation=delegation.code,
        version=version.number,
    )
    return comment


@transaction.atomic
def do_finalise_record(record: SummaryRecord, *, actor: User | None) -> SummaryRecord:
    record = SummaryRecord.objects.select_for_update().get(pk=record.pk)
    if record.status == SummaryRecord.Status.FINAL:
        return record
    if not record.versions.exists():
        raise MinutesError(_("Write the summary record before making it final."))
    record.status = SummaryRecord.Status.FINAL
    record.finalised_at = timezone.now()
    record.save(update_fields=["status", "finalised_at"])
    audit.record("minutes.finalise", actor=actor, obj=record.item.meeting, item=record.item_id)
    return record


# --- decisions and taskings --------------------------------------------------------------------
@dataclass(frozen=True)
class TaskingFields:
    assignee: str
    task: str
    assignee_body: Body | None = None
    due_on: date | None = None
    due_meeting_of: Body | None = None


def _next_number(meeting: Meeting) -> int:
    return (meeting.decisions.aggregate(m=Max("number"))["m"] or 0) + 1


def _confirm(tasking: Tasking, actor: User | None) -> None:
    for hook in hooks.tasking_confirmed:
        hook(tasking, actor)


def _add_tasking(
    decision: MeetingDecision,
    fields: TaskingFields,
    *,
    detected: bool,
    negotiation_decision: Decision | None = None,
    actor: User | None,
) -> Tasking:
    if fields.assignee not in Tasking.Assignee.values:
        raise MinutesError(_("Say who is tasked."))
    if fields.due_on is None and fields.due_meeting_of is None:
        raise MinutesError(_("A task is due by a date or by a body's next meeting."))
    tasking = Tasking.objects.create(
        decision=decision,
        negotiation_decision=negotiation_decision,
        assignee=fields.assignee,
        assignee_body=fields.assignee_body,
        task=fields.task,
        due_on=fields.due_on,
        due_meeting_of=fields.due_meeting_of,
        detected=detected,
        status=Tasking.Status.PROPOSED if detected else Tasking.Status.CONFIRMED,
    )
    audit.record(
        "decision.tasking",
        actor=actor,
        obj=decision.meeting,
        decision=decision.number,
        tasking=tasking.pk,
        status=tasking.status,
    )
    if tasking.status == Tasking.Status.CONFIRMED:
        _confirm(tasking, actor)
    return tasking


def _propose_found(
    decision: MeetingDecision,
    text: str,
    *,
    negotiation_decision: Decision | None = None,
    actor: User | None,
) -> list[Tasking]:
    """Propose the tasks found in `text` (none already on the decision with the same words)."""
    known = {t.task.lower() for t in decision.taskings.all()}
    out = []
    for found in find_tasks(text):
        if found.task.lower() in known:
            continue
        known.add(found.task.lower())
        body = Body.objects.filter(code=found.body_code).first() if found.body_code else None
        due_body = None
        if found.due_on is None:
            due_body = (
                Body.objects.filter(code=found.due_body_code).first()
                if found.due_body_code
                else None
            ) or decision.meeting.body
        fields = TaskingFields(
            assignee=found.assignee if found.assignee != "body" or body else "body",
            task=found.task,
            assignee_body=body,
            due_on=found.due_on,
            due_meeting_of=due_body,
        )
        if fields.due_on is None and fields.due_meeting_of is None:
            continue  # a meeting without a body: nothing to be due by
        out.append(
            _add_tasking(
                decision,
                fields,
                detected=True,
                negotiation_decision=negotiation_decision,
                actor=actor,
            )
        )
    return out


def adopted_text_paragraphs(nd: Decision) -> list[str]:
    """The operative paragraphs of the text a negotiation decision covers."""
    from secretariat.negotiation import engine

    draft = engine.draft_of(nd.revision)
    return operative_paragraphs([(p.label, p.text) for p in draft.paragraphs])


@transaction.atomic
def do_record_decision(
    meeting: Meeting,
    *,
    title: str,
    text: str = "",
    decided_on: date,
    item: AgendaItem | None = None,
    negotiation_decisions: list[Decision] | tuple[Decision, ...] = (),
    outcome_documents: list[Document] | tuple[Document, ...] = (),
    taskings: list[TaskingFields] | tuple[TaskingFields, ...] = (),
    detect: bool = True,
    actor: User | None,
) -> MeetingDecision:
    """Record a decision of the meeting's body. Taskings given here are confirmed (mandates);
    tasks found in its text and in the adopted texts it covers are proposed."""
    if item is not None and item.meeting_id != meeting.pk:
        raise MinutesError(_("The item is not on this meeting's agenda."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    decision = MeetingDecision.objects.create(
        meeting=meeting,
        item=item,
        number=_next_number(meeting),
        kind=MeetingDecision.Kind.DECISION,
        title=title,
        text=text,
        decided_on=decided_on,
        recorded_by=actor,
    )
    audit.record("decision.record", actor=actor, obj=meeting, decision=decision.number, title=title)
    for fields in taskings:
        _add_tasking(decision, fields, detected=False, actor=actor)
    if detect:
        _propose_found(decision, text, actor=actor)
    for nd in negotiation_decisions:
        do_link_negotiation_decision(decision, nd, detect=detect, actor=actor)
    for document in outcome_documents:
        do_link_outcome_document(decision, document, actor=actor)
    return decision


@transaction.atomic
def do_link_negotiation_decision(
    decision: MeetingDecision, nd: Decision, *, detect: bool = True, actor: User | None
) -> None:
    decision.negotiation_decisions.add(nd)
    audit.record(
        "decision.link_text",
        actor=actor,
        obj=decision.meeting,
        decision=decision.number,
        negotiation_decision=nd.pk,
    )
    if detect and nd.kind.startswith("adopted"):
        text = "\n".join(adopted_text_paragraphs(nd))
        _propose_found(decision, text, negotiation_decision=nd, actor=actor)


@transaction.atomic
def do_link_outcome_document(
    decision: MeetingDecision, document: Document, *, actor: User | None
) -> None:
    decision.outcome_documents.add(document)
    audit.record(
        "decision.link_document",
        actor=actor,
        obj=decision.meeting,
        decision=decision.number,
        document=document.pk,
    )


@transaction.atomic
def do_add_tasking(
    decision: MeetingDecision, fields: TaskingFields, *, actor: User | None
) -> Tasking:
    return _add_tasking(decision, fields, detected=False, actor=actor)


@transaction.atomic
def do_confirm_tasking(tasking: Tasking, *, actor: User | None) -> Tasking:
    tasking = Tasking.objects.select_for_update().get(pk=tasking.pk)
    if tasking.status != Tasking.Status.PROPOSED:
        return tasking
    tasking.status = Tasking.Status.CONFIRMED
    tasking.save(update_fields=["status"])
    audit.record(
        "decision.tasking_confirm", actor=actor, obj=tasking.decision.meeting, tasking=tasking.pk
    )
    _confirm(tasking, actor)
    return tasking


@transaction.atomic
def do_dismiss_tasking(tasking: Tasking, *, actor: User | None) -> Tasking:
    tasking = Tasking.objects.select_for_update().get(pk=tasking.pk)
    if tasking.status != Tasking.Status.PROPOSED:
        raise MinutesError(_("Only a proposed task can be dismissed."))
    tasking.status = Tasking.Status.DISMISSED
    tasking.save(update_fields=["status"])
    audit.record(
        "decision.tasking_dismiss", actor=actor, obj=tasking.decision.meeting, tasking=tasking.pk
    )
    return tasking


def record_agenda_adoption(
    meeting: Meeting, edition: AgendaEdition, *, actor: User | None
) -> MeetingDecision:
    """The adoption of the agenda as the body's decision (called inside the publishing
    transaction); on the adoption item if the agenda has one."""
    item = meeting.items.filter(kind=AgendaItem.Kind.ADOPTION).order_by("position", "id").first()
    decision = MeetingDecision.objects.create(
        meeting=meeting,
        item=item,
        number=_next_number(meeting),
        kind=MeetingDecision.Kind.AGENDA,
        title="Adoption of the agenda",
        text="",
        decided_on=edition.adopted_on or timezone.localdate(),
        recorded_by=actor,
    )
    audit.record(
        "decision.record",
        actor=actor,
        obj=meeting,
        decision=decision.number,
        kind=decision.kind,
        edition=edition.number,
    )
    return decision


def outcome_of(user: Any, meeting: Meeting) -> dict[str, Any]:
    """What a held or closed meeting produced, as the reader may see it."""
    decisions = decisions_of(user, meeting)
    texts: list[Decision] = []
    documents: list[Document] = []
    for decision in decisions:
        texts += [d for d in visible_negotiation_decisions(user, decision) if d not in texts]
        documents += [d for d in visible_outcome_documents(user, decision) if d not in documents]
    records = [
        r
        for r in SummaryRecord.objects.filter(
            item__meeting=meeting, status=SummaryRecord.Status.FINAL
        ).select_related("item")
        if may_manage(user) or r.item in _published(meeting)
    ]
    return {
        "decisions": decisions,
        "adopted_texts": texts,
        "outcome_documents": documents,
        "records": sorted(records, key=lambda r: (r.item.position, r.item_id)),
    }


def _published(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.filter(
        pk__in=AgendaEdition.objects.filter(meeting=meeting).values("lines__item")
    )
