"""Who may see and handle meetings, on top of `accounts.access`.

- A meeting is seen by whoever the access policy lets see its level and body (an ICT working
  group meeting: that group's members, the steering roles, the secretariat); outsiders get 404.
- The working agenda (draft items) is the secretariat's; other readers see only the published
  editions.
- Managing a meeting (agenda, documents, approvals, the speakers' list): the secretariat; a
  reader who tries gets 403.
- Registering participants and asking for the floor: a delegate or contact point of a
  delegation that sits in the meeting's body, for their own delegation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from secretariat.accounts import access
from secretariat.accounts.models import Delegation, Role
from secretariat.core import audit
from secretariat.meetings.models import AgendaItem, EditionItem, Meeting, Participant, Statement


def may_manage(user: Any) -> bool:
    return access.is_secretariat(user)


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return access.visible(user, Meeting.objects.select_related("body"))


def sees_draft_agenda(user: Any) -> bool:
    return may_manage(user)


def acting_delegation(user: Any, meeting: Meeting) -> Delegation | None:
    """The delegation the user registers and speaks for at this meeting, if any."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.role not in (Role.DELEGATE, Role.CONTACT_POINT, Role.COORDINATOR, Role.CHAIR):
        return None
    if user.delegation_id is None:
        return None
    # The Chairmanship sits in every body; a delegation only in the bodies it is a member of.
    if (
        meeting.body_id is not None
        and not access.holds_chairmanship(user)
        and meeting.body_id not in access.body_ids_of(user)
    ):
        return None
    delegation: Delegation = user.delegation
    return delegation


def get_meeting_for(request: HttpRequest, pk: Any, *, manage: bool = False) -> Meeting:
    """404 for who may not see the meeting, 403 for who may see but not manage it."""
    try:
        meeting = Meeting.objects.select_related("body", "parent", "convening_note").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_view(request.user, meeting):
        raise Http404
    if manage and not may_manage(request.user):
        raise PermissionDenied
    if not manage and not meeting.is_public:
        audit.record("view", obj=meeting, request=request)
    return meeting


def get_item_for(request: HttpRequest, meeting: Meeting, pk: Any) -> AgendaItem:
    """An item of a meeting already fetched; a delegate sees only items that were published."""
    try:
        item = meeting.items.get(pk=pk)
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not sees_draft_agenda(request.user) and not item_published(item):
        raise Http404
    return item


def item_published(item: AgendaItem) -> bool:
    return EditionItem.objects.filter(item=item).exists()


def require_delegation(request: HttpRequest, meeting: Meeting) -> Delegation:
    delegation = acting_delegation(request.user, meeting)
    if delegation is None:
        raise PermissionDenied
    return delegation


def require_manage(request: HttpRequest) -> None:
    """Pages only the secretariat uses (creating a meeting): 403 for other users."""
    if not may_manage(request.user):
        raise PermissionDenied


def statements_for(user: Any, item: AgendaItem) -> QuerySet[Statement]:
    """The statements on an item the user may read (the item's meeting is already judged):
    those for everyone who sees the meeting, and those for its participants if the user is
    one (a delegation registered for the meeting), the secretariat or a steering role."""
    qs = item.statements.select_related("delegation")
    if may_manage(user) or access.is_steering(user):
        return qs
    rule = Q(audience=Statement.Audience.MEETING)
    delegation_id = getattr(user, "delegation_id", None)
    if delegation_id is not None and user.role != Role.OBSERVER:
        registered = Participant.objects.filter(
            meeting_id=item.meeting_id, delegation_id=delegation_id
        ).exists()
        if registered:
            rule |= Q(audience=Statement.Audience.PARTICIPANTS)
        rule |= Q(delegation_id=delegation_id)
    return qs.filter(rule)
