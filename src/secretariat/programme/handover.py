"""The handover page's content: what the outgoing holder leaves open for the incoming one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from secretariat.accounts.models import User
from secretariat.communications.access import visible_notes
from secretariat.communications.models import Note
from secretariat.negotiation.access import visible_negotiations
from secretariat.negotiation.models import Negotiation
from secretariat.programme.access import visible_initiatives, visible_mandates
from secretariat.programme.models import Assignee, Initiative, Mandate, MandateStatus, Term


@dataclass(frozen=True)
class OpenItems:
    negotiations: list[Negotiation]
    initiatives: list[Initiative]
    mandates: list[Mandate]
    notes: list[Note]


def open_items(term: Term, reader: User) -> OpenItems:
    """For the term's holder role: negotiations in progress, initiatives the outgoing
    delegation leads, mandates on the role (or that delegation) still open, notes not issued;
    each list filtered by what `reader` may see."""
    outgoing = term.previous
    delegation_id = outgoing.delegation_id if outgoing is not None else term.delegation_id
    negotiations = list(
        visible_negotiations(reader).exclude(state=Negotiation.State.ADOPTED).order_by("title")
    )
    initiatives = list(
        visible_initiatives(reader)
        .filter(
            participations__delegation_id=delegation_id,
            participations__left_on__isnull=True,
            participations__role__in=["lead", "co_lead"],
        )
        .exclude(status="completed")
        .distinct()
    )
    role_assignee = Assignee.CHAIRMANSHIP if term.role == "chairmanship" else Assignee.COORDINATOR
    mandates = list(
        visible_mandates(reader).filter(
            Q(assignee=role_assignee) | Q(assignee_delegation_id=delegation_id),
            status__in=[MandateStatus.OPEN, MandateStatus.REPORTED],
        )
    )
    notes = list(visible_notes(reader).exclude(status=Note.Status.ISSUED).order_by("-pk")[:50])
    return OpenItems(negotiations, initiatives, mandates, notes)
