"""Who may see and handle notes, on top of `accounts.access`.

- Drafts and approved notes: the secretariat only.
- Issued notes: the access policy on the note's level (a circular: `members`; a note to a body:
  `body`), or being a user of a delegation the note is addressed to (notes to chosen
  delegations carry the level `secretariat`, so only their recipients rows open them).
- Incoming notes: the secretariat and the sending delegation.
- Drafting, approving, issuing, registering incoming notes, editing templates: the secretariat.

`visible_notes` is the same rule as a query: lists, counts, search and feeds use it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel, Role
from secretariat.communications.models import IncomingNote, Note, NoteRecipient
from secretariat.core import audit


def may_draft(user: Any) -> bool:
    return access.is_secretariat(user)


def note_q(user: Any) -> Q:
    if access.is_secretariat(user):
        return Q()
    issued = Q(status=Note.Status.ISSUED)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return issued & Q(access_level=AccessLevel.PUBLIC)
    rule = access.visible_q(user)
    if user.delegation_id and user.role != Role.OBSERVER:
        addressed = Exists(
            NoteRecipient.objects.filter(note=OuterRef("pk"), delegation_id=user.delegation_id)
        )
        rule = rule | Q(addressed)
    return issued & rule


def visible_notes(user: Any, queryset: QuerySet[Note] | None = None) -> QuerySet[Note]:
    qs = Note.objects.all() if queryset is None else queryset
    return qs.filter(note_q(user))


def can_view_note(user: Any, note: Note) -> bool:
    if access.is_secretariat(user):
        return True
    if note.status != Note.Status.ISSUED:
        return False
    if access.can_view(user, note):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.delegation_id
        and user.role != Role.OBSERVER
        and note.recipients.filter(delegation_id=user.delegation_id).exists()
    )


def get_note_for(request: HttpRequest, pk: Any, *, write: bool = False) -> Note:
    """404 for who may not see the note, 403 for who may see but not handle it; a view of a
    restricted note is recorded in the audit log."""
    try:
        note = Note.objects.select_related("series", "body", "corrects").get(pk=pk)
    except (Note.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_view_note(request.user, note):
        raise Http404
    if write and not may_draft(request.user):
        raise PermissionDenied
    if not write and not note.is_public:
        audit.record("view", obj=note, request=request)
    return note


def recipient_of(user: Any, note: Note) -> NoteRecipient | None:
    """The receipt row of the user's delegation for this note, if it is addressed to it."""
    if not getattr(user, "is_authenticated", False) or not user.delegation_id:
        return None
    if user.role == Role.OBSERVER:
        return None
    return note.recipients.filter(delegation_id=user.delegation_id).first()


def incoming_q(user: Any) -> Q:
    if access.is_secretariat(user):
        return Q()
    if (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.delegation_id
        and user.role != Role.OBSERVER
    ):
        return Q(sender_id=user.delegation_id)
    return Q(pk__in=[])


def visible_incoming(user: Any) -> QuerySet[IncomingNote]:
    return IncomingNote.objects.filter(incoming_q(user))


def get_incoming_for(request: HttpRequest, pk: Any) -> IncomingNote:
    try:
        note = visible_incoming(request.user).select_related("sender").get(pk=pk)
    except (IncomingNote.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    audit.record("view", obj=note, request=request)
    return note


def require_secretariat(request: HttpRequest) -> None:
    """Pages only the secretariat uses: 404 for who has no business there at all (observers,
    anonymous), 403 for other users."""
    if not may_draft(request.user):
        raise PermissionDenied
