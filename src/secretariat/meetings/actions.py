"""Every change to meetings: one transaction each, with its audit row.

Calendar-visible changes (time, place, status) raise the meeting's iCalendar SEQUENCE in the
same transaction, so subscribed calendars replace the event instead of duplicating it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import Body, Delegation, User
from secretariat.communications.models import Note
from secretariat.core import audit
from secretariat.documents import files
from secretariat.documents.models import Document
from secretariat.meetings import minutes, reminders, search
from secretariat.meetings.models import (
    Accreditation,
    AgendaEdition,
    AgendaItem,
    CalendarToken,
    EditionItem,
    ItemDocument,
    Meeting,
    Participant,
    SpeakerRequest,
    Statement,
    new_token,
)
from secretariat.negotiation.models import Negotiation


class MeetingError(ValueError):
    """A change refused for a reason the user can read."""


@dataclass(frozen=True)
class MeetingFields:
    title: str
    body: Body
    access_level: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str = ""
    online_link: str = ""
    parent: Meeting | None = None
    is_urgent: bool = False
    registration_deadline: datetime | None = None
    requires_credentials: bool = False
    precedence: str = "lot"
    lot_start: Delegation | None = None
    host: Delegation | None = None


# Changes a calendar must see: they raise SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "venue", "online_link")


@transaction.atomic
def do_create_meeting(fields: MeetingFields, *, actor: User | None) -> Meeting:
    if fields.ends_at < fields.starts_at:
        raise MeetingError(_("A meeting cannot end before it starts."))
    meeting = Meeting.objects.create(**fields.__dict__, created_by=actor)
    audit.record("meeting.create", actor=actor, obj=meeting, title=meeting.title)
    search.index_meeting(meeting)
    return meeting


@transaction.atomic
def do_update_meeting(meeting: Meeting, fields: MeetingFields, *, actor: User | None) -> Meeting:
    if fields.ends_at < fields.starts_at:
        raise MeetingError(_("A meeting cannot end before it starts."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed: dict[str, tuple[str, str]] = {}
    for name, value in fields.__dict__.items():
        old = getattr(meeting, name)
        if old != value:
            changed[name] = (str(old), str(value))
            setattr(meeting, name, value)
    if not changed:
        return meeting  # a no-op edit creates nothing
    if any(name in CALENDAR_FIELDS for name in changed):
        meeting.sequence += 1
    meeting.save()
    audit.record("meeting.update", actor=actor, obj=meeting, changes=changed)
    search.index_meeting(meeting)
    if "registration_deadline" in changed:
        reminders.schedule_for(meeting)
    return meeting


@transaction.atomic
def do_set_meeting_status(meeting: Meeting, status: str, *, actor: User | None) -> Meeting:
    if status not in Meeting.Status.values:
        raise MeetingError(_("Unknown status."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    old = meeting.status
    if old == status:
        return meeting
    meeting.status = status
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    audit.record("meeting.status", actor=actor, obj=meeting, old=old, new=status)
    reminders.schedule_for(meeting)  # convened by hand: its registration reminders too
    return meeting


@transaction.atomic
def do_link_convening_note(meeting: Meeting, note: Note, *, actor: User | None) -> Meeting:
    meeting.convening_note = note
    if meeting.status == Meeting.Status.PLANNED and note.is_issued:
        meeting.status = Meeting.Status.CONVENED
        meeting.sequence += 1
    meeting.save(update_fields=["convening_note", "status", "sequence", "updated_at"])
    audit.record("meeting.convening_note", actor=actor, obj=meeting, note=note.pk)
    reminders.schedule_for(meeting)  # the registration reminders of a convened meeting
    return meeting


# --- the agenda ------------------------------------------------------------------------------
@transaction.atomic
def do_add_item(
    meeting: Meeting,
    *,
    title: str,
    annotation: str = "",
    kind: str = AgendaItem.Kind.REGULAR,
    parent: AgendaItem | None = None,
    actor: User | None,
) -> AgendaItem:
    if parent is not None and (parent.meeting_id != meeting.pk or parent.parent_id is not None):
        raise MeetingError(_("A sub-item belongs under a main item of the same meeting."))
    last = meeting.items.filter(parent=parent).aggregate(m=Max("position"))["m"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        parent=parent,
        position=(last or 0) + 1,
        kind=kind,
        title=title,
        annotation=annotation,
        # an item added once an agenda is out is a supplementary item
        supplementary=meeting.editions.exists(),
    )
    audit.record("agenda.add_item", actor=actor, obj=meeting, item=item.pk, title=title)
    search.index_meeting(meeting)
    return item


@transaction.atomic
def do_move_item(item: AgendaItem, *, up: bool, actor: User | None) -> None:
    """Swap the item with its neighbour among its siblings (the secretariat sets the order)."""
    siblings = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
        .order_by("position", "id")
    )
    ids = [s.pk for s in siblings]
    i = ids.index(item.pk)
    j = i - 1 if up else i + 1
    if j < 0 or j >= len(siblings):
        return
    siblings[i], siblings[j] = siblings[j], siblings[i]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    audit.record("agenda.move_item", actor=actor, obj=item.meeting, item=item.pk, up=up)
    search.index_meeting(item.meeting)


def numbered_items(meeting: Meeting) -> list[tuple[str, int, AgendaItem]]:
    """The working agenda in order: (label "3" or "3.1", depth, item)."""
    items = list(meeting.items.order_by("position", "id"))
    top = [i for i in items if i.parent_id is None]
    out: list[tuple[str, int, AgendaItem]] = []
    for n, item in enumerate(top, start=1):
        out.append((str(n), 0, item))
        children = [c for c in items if c.parent_id == item.pk]
        for m, child in enumerate(children, start=1):
            out.append((f"{n}.{m}", 1, child))
    return out


@transaction.atomic
def do_publish_agenda(meeting: Meeting, kind: str, *, actor: User | None) -> AgendaEdition:
    """Publish the working agenda as an edition of `kind`; the edition is kept as published.
    Publishing the adopted agenda records its adoption, the body's decision, with the date."""
    if kind not in AgendaEdition.Kind.values:
        raise MeetingError(_("Unknown kind of agenda."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    lines = numbered_items(meeting)
    if not lines:
        raise MeetingError(_("The agenda has no items."))
    last = meeting.editions.aggregate(m=Max("number"))["m"] or 0
    edition = AgendaEdition.objects.create(
        meeting=meeting,
        number=last + 1,
        kind=kind,
        published_by=actor,
        adopted_on=timezone.localdate() if kind == AgendaEdition.Kind.ADOPTED else None,
    )
    EditionItem.objects.bulk_create(
        EditionItem(
            edition=edition,
            item=item,
            label=label,
            depth=depth,
            title=item.title,
            annotation=item.annotation,
            supplementary=item.supplementary,
            order=order,
        )
        for order, (label, depth, item) in enumerate(lines)
    )
    audit.record("agenda.publish", actor=actor, obj=meeting, edition=edition.number, kind=kind)
    search.index_meeting(meeting)
    if kind == AgendaEdition.Kind.ADOPTED:
        audit.record("agenda.adopt", actor=actor, obj=meeting, body=meeting.body_id)
        # the adoption is the body's decision, listed with the meeting's other decisions
        minutes.record_agenda_adoption(meeting, edition, actor=actor)
    return edition


@transaction.atomic
def do_attach_document(
    item: AgendaItem, document: Document, status: str, *, actor: User | None
) -> ItemDocument:
    if status not in ItemDocument.Status.values:
        raise MeetingError(_("Unknown document status."))
    link, created = ItemDocument.objects.get_or_create(
        item=item, document=document, defaults={"status": status}
    )
    if not created and link.status != status:
        link.status = status
        link.save(update_fields=["status"])
    audit.record(
        "agenda.attach_document",
        actor=actor,
        obj=item.meeting,
        item=item.pk,
        document=document.pk,
        status=status,
    )
    return link


@transaction.atomic
def do_link_negotiation(item: AgendaItem, negotiation: Negotiation, *, actor: User | None) -> None:
    item.negotiations.add(negotiation)
    audit.record(
        "agenda.link_negotiation",
        actor=actor,
        obj=item.meeting,
        item=item.pk,
        negotiation=negotiation.pk,
    )


# --- registration ----------------------------------------------------------------------------
def _is_late(meeting: Meeting) -> bool:
    deadline = meeting.registration_deadline
    return deadline is not None and timezone.now() > deadline


def _store(data: bytes) -> tuple[str, str]:
    files.sniff(data)  # the library's checks: type by content, size limit
    sha = files.checksum(data)
    return files.store(data, sha), sha


@transaction.atomic
def do_submit_accreditation(
    meeting: Meeting,
    delegation: Delegation,
    *,
    note: tuple[bytes, str] | None,
    credentials: tuple[bytes, str] | None = None,
    actor: User | None,
) -> Accreditation:
    """The delegation's accreditation note verbale, and (kept apart) its formal credentials.
    A new file replaces the previous one and withdraws an approval given on it."""
    accreditation, _created = Accreditation.objects.select_for_update().get_or_create(
        meeting=meeting, delegation=delegation, defaults={"late": _is_late(meeting)}
    )
    if note is not None:
        accreditation.note_file, accreditation.note_sha256 = _store(note[0])
        accreditation.note_filename = note[1][:255]
        accreditation.approved_at = None
        accreditation.approved_by = None
    if credentials is not None:
        accreditation.credentials_file, accreditation.credentials_sha256 = _store(credentials[0])
        accreditation.credentials_filename = credentials[1][:255]
    if _is_late(meeting):
        accreditation.late = True
    accreditation.save()
    audit.record(
        "registration.accreditation",
        actor=actor,
        obj=meeting,
        delegation=delegation.code,
        note=accreditation.note_sha256,
        credentials=accreditation.credentials_sha256,
    )
    return accreditation


@dataclass(frozen=True)
class ParticipantFields:
    name: str
    honorific: str = ""
    function: str = ""
    rank: int = 10
    is_head: bool = False
    arrives_on: date | None = None
    departs_on: date | None = None


@transaction.atomic
def do_register_participant(
    meeting: Meeting,
    delegation: Delegation | None,
    fields: ParticipantFields,
    *,
    actor: User | None,
) -> Participant:
    if (
        fields.is_head
        and Participant.objects.filter(
            meeting=meeting, delegation=delegation, is_head=True
        ).exists()
    ):
        raise MeetingError(_("The delegation already has a head."))
    participant = Participant.objects.create(
        meeting=meeting,
        delegation=delegation,
        late=_is_late(meeting),
        created_by=actor,
        **fields.__dict__,
    )
    audit.record(
        "registration.participant",
        actor=actor,
        obj=meeting,
        participant=participant.pk,
        delegation=delegation.code if delegation else "",
        late=participant.late,
    )
    return participant


@transaction.atomic
def do_approve_accreditation(accreditation: Accreditation, *, actor: User | None) -> Accreditation:
    if not accreditation.note_file:
        raise MeetingError(_("No accreditation note has been uploaded."))
    if accreditation.approved_at is not None:
        return accreditation  # approved already: no second confirmation
    accreditation.approved_at = timezone.now()
    accreditation.approved_by = actor
    accreditation.save(update_fields=["approved_at", "approved_by"])
    emails = reminders.enqueue_confirmation(accreditation)
    audit.record(
        "registration.approve",
        actor=actor,
        obj=accreditation.meeting,
        delegation=accreditation.delegation.code,
        emails=emails,
    )
    return accreditation


@transaction.atomic
def do_record_originals(accreditation: Accreditation, *, actor: User | None) -> Accreditation:
    """The secretariat saw the original credentials on arrival."""
    accreditation.originals_seen_at = timezone.now()
    accreditation.save(update_fields=["originals_seen_at"])
    audit.record(
        "registration.originals_seen",
        actor=actor,
        obj=accreditation.meeting,
        delegation=accreditation.delegation.code,
    )
    return accreditation


# --- the speakers' list ----------------------------------------------------------------------
@transaction.atomic
def do_request_floor(
    item: AgendaItem, delegation: Delegation, *, actor: User | None
) -> SpeakerRequest:
    existing = SpeakerRequest.objects.filter(
        item=item, delegation=delegation, status=SpeakerRequest.Status.WAITING
    ).first()
    if existing is not None:
        return existing  # asking twice keeps the place
    last = item.speakers.aggregate(m=Max("position"))["m"] or 0
    request = SpeakerRequest.objects.create(
        item=item, delegation=delegation, requested_by=actor, position=last + 1
    )
    audit.record(
        "speakers.request",
        actor=actor,
        obj=item.meeting,
        item=item.pk,
        delegation=delegation.code,
    )
    return request


@transaction.atomic
def do_call_speaker(request: SpeakerRequest, *, actor: User | None) -> SpeakerRequest:
    updated = SpeakerRequest.objects.filter(
        pk=request.pk, status=SpeakerRequest.Status.WAITING
    ).update(status=SpeakerRequest.Status.CALLED, called_at=timezone.now())
    request.refresh_from_db()
    if updated:
        audit.record(
            "speakers.call",
            actor=actor,
            obj=request.item.meeting,
            item=request.item_id,
            delegation=request.delegation.code,
        )
    return request


@transaction.atomic
def do_move_speaker(request: SpeakerRequest, *, up: bool, actor: User | None) -> None:
    waiting = list(
        SpeakerRequest.objects.select_for_update()
        .filter(item_id=request.item_id, status=SpeakerRequest.Status.WAITING)
        .order_by("position", "requested_at", "id")
    )
    ids = [w.pk for w in waiting]
    if request.pk not in ids:
        return
    i = ids.index(request.pk)
    j = i - 1 if up else i + 1
    if 0 <= j < len(waiting):
        waiting[i], waiting[j] = waiting[j], waiting[i]
        for position, w in enumerate(waiting, start=1):
            SpeakerRequest.objects.filter(pk=w.pk).update(position=position)
        audit.record("speakers.move", actor=actor, obj=request.item.meeting, speaker=request.pk)


@transaction.atomic
def do_set_speaking_time(item: AgendaItem, minutes: int, *, actor: User | None) -> None:
    item.speakers.filter(status=SpeakerRequest.Status.WAITING).update(minutes=minutes)
    audit.record("speakers.time", actor=actor, obj=item.meeting, item=item.pk, minutes=minutes)


@transaction.atomic
def do_file_statement(
    item: AgendaItem,
    delegation: Delegation,
    *,
    title: str,
    text: str,
    audience: str,
    actor: User | None,
) -> Statement:
    if audience not in Statement.Audience.values:
        raise MeetingError(_("Unknown audience."))
    statement = Statement.objects.create(
        item=item, delegation=delegation, filed_by=actor, title=title, text=text, audience=audience
    )
    audit.record(
        "statement.file",
        actor=actor,
        obj=item.meeting,
        item=item.pk,
        statement=statement.pk,
        delegation=delegation.code,
        audience=audience,
    )
    return statement


# --- calendar tokens -------------------------------------------------------------------------
def calendar_token(user: User) -> CalendarToken:
    """The user's token, created on first use."""
    token, _created = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def do_rotate_calendar_token(user: User, *, actor: User | None) -> CalendarToken:
    """A new secret: the old feed URL stops working at once."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_token()
        token.save(update_fields=["token"])
    audit.record("calendar.rotate_token", actor=actor, obj=user)
    return token
