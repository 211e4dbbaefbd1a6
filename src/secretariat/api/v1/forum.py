"""Notes verbales and circulars, meetings, and the work programme's initiatives (read only),
through each app's own access rules."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema

from secretariat.api import pagination
from secretariat.api.problems import ERRORS, Problem
from secretariat.api.v1.library import PageParams
from secretariat.communications import access as notes_access
from secretariat.communications.models import Note
from secretariat.core.limits import MAX_ID
from secretariat.meetings import access as meetings_access
from secretariat.meetings.models import Meeting
from secretariat.programme import access as programme_access
from secretariat.programme.models import Initiative

ID = Path(..., ge=1, le=MAX_ID)

router = Router(tags=["forum"])


class NoteOut(Schema):
    id: int
    kind: str
    reference: str
    subject: str
    status: str
    issued_on: date | None
    access_level: str
    body: str | None


class NoteEditionOut(Schema):
    language: str
    subject: str
    text: str


class NoteDetail(NoteOut):
    editions: list[NoteEditionOut]


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None


def _note(n: Note) -> NoteOut:
    return NoteOut(
        id=n.pk,
        kind=n.kind,
        reference=n.reference,
        subject=n.subject,
        status=n.status,
        issued_on=n.issued_on,
        access_level=n.access_level,
        body=n.body.code if n.body_id and n.body else None,
    )


@router.get("/notes", response={200: NotePage, ERRORS: Problem})
def list_notes(request: HttpRequest, page: Query[PageParams]) -> NotePage:
    """Notes verbales, circulars and press releases the caller may read (issued ones; drafts
    too for the secretariat)."""
    rows, cursor = pagination.keyset(
        notes_access.visible_notes(request.user).select_related("body"),
        page.cursor,
        page.limit,
        kind="notes",
    )
    return NotePage(items=[_note(n) for n in rows], next_cursor=cursor)


@router.get("/notes/{pk}", response={200: NoteDetail, ERRORS: Problem})
def note_detail(request: HttpRequest, pk: int = ID) -> NoteDetail:
    note = notes_access.get_note_for(request, pk)
    return NoteDetail(
        **_note(note).dict(),
        editions=[
            NoteEditionOut(language=e.language, subject=e.subject, text=e.text)
            for e in note.editions.order_by("language")
        ],
    )


class MeetingOut(Schema):
    id: int
    title: str
    body: str | None
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    status: str
    access_level: str


class MeetingPage(Schema):
    items: list[MeetingOut]
    next_cursor: str | None


def _meeting(m: Meeting) -> MeetingOut:
    return MeetingOut(
        id=m.pk,
        title=m.title,
        body=m.body.code if m.body_id and m.body else None,
        starts_at=m.starts_at,
        ends_at=m.ends_at,
        time_zone=m.time_zone,
        venue=m.venue,
        status=m.status,
        access_level=m.access_level,
    )


@router.get("/meetings", response={200: MeetingPage, ERRORS: Problem})
def list_meetings(request: HttpRequest, page: Query[PageParams]) -> MeetingPage:
    rows, cursor = pagination.keyset(
        meetings_access.visible_meetings(request.user).select_related("body"),
        page.cursor,
        page.limit,
        kind="meetings",
    )
    return MeetingPage(items=[_meeting(m) for m in rows], next_cursor=cursor)


@router.get("/meetings/{pk}", response={200: MeetingOut, ERRORS: Problem})
def meeting_detail(request: HttpRequest, pk: int = ID) -> MeetingOut:
    return _meeting(meetings_access.get_meeting_for(request, pk))


class InitiativeOut(Schema):
    id: int
    title: str
    status: str
    access_level: str
    body: str | None
    created_at: datetime


class InitiativePage(Schema):
    items: list[InitiativeOut]
    next_cursor: str | None


def _initiative(i: Initiative) -> InitiativeOut:
    return InitiativeOut(
        id=i.pk,
        title=i.title,
        status=i.status,
        access_level=i.access_level,
        body=i.body.code if i.body_id and i.body else None,
        created_at=i.created_at,
    )


@router.get("/initiatives", response={200: InitiativePage, ERRORS: Problem})
def list_initiatives(request: HttpRequest, page: Query[PageParams]) -> InitiativePage:
    rows, cursor = pagination.keyset(
        programme_access.visible_initiatives(request.user).select_related("body"),
        page.cursor,
        page.limit,
        kind="initiatives",
    )
    return InitiativePage(items=[_initiative(i) for i in rows], next_cursor=cursor)


@router.get("/initiatives/{pk}", response={200: InitiativeOut, ERRORS: Problem})
def initiative_detail(request: HttpRequest, pk: int = ID) -> InitiativeOut:
    return _initiative(programme_access.get_initiative_for(request, pk))
