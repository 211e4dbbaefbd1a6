"""The directory of delegations: each delegation of the register with its contact points and
the bodies it sits in.

Delegations and bodies are the forum's public structure (the forum page shows them to every
signed-in user). Contact points are people: their names and addresses are shown to those who
read what all members see (members, the steering roles, the secretariat, an observer with the
`members` tier), never to other observers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from secretariat.accounts import access
from secretariat.accounts.models import AccessLevel, Body, Delegation, Role, User


@dataclass(frozen=True)
class DirectoryEntry:
    delegation: Delegation
    bodies: list[Body]
    contacts: list[User]  # empty for readers who may not see them


def may_see_contacts(user: Any) -> bool:
    return access.can_see_level(user, AccessLevel.MEMBERS, None)


def directory(user: Any, text: str = "") -> list[DirectoryEntry]:
    """Every delegation still in the register (members, the Chairmanship, participants), in
    code order; `text` narrows to codes and names containing it. Three queries."""
    delegations = Delegation.objects.filter(retired=False).order_by("code")
    if text:
        delegations = delegations.filter(
            Q(code__icontains=text)
            | Q(name_en__icontains=text)
            | Q(name_ru__icontains=text)
            | Q(name_kk__icontains=text)
        )
    rows = list(delegations)
    ids = [d.pk for d in rows]
    bodies: dict[int, list[Body]] = {}
    through = Body.members.through.objects.filter(
        delegation_id__in=ids, body__retired=False
    ).select_related("body")
    for link in sorted(through, key=lambda t: (t.body.order, t.body.code)):
        bodies.setdefault(link.delegation_id, []).append(link.body)
    contacts: dict[int, list[User]] = {}
    if may_see_contacts(user):
        # Contact points and heads of delegation; where a delegation has neither, its
        # delegates (as the official mail does: outbox.lists).
        people = User.objects.filter(
            is_active=True, delegation_id__in=ids, role__in=[Role.CONTACT_POINT, Role.DELEGATE]
        ).order_by("-is_head_of_delegation", "role", "last_name", "username")
        everyone: dict[int, list[User]] = {}
        for person in people:
            everyone.setdefault(person.delegation_id, []).append(person)  # type: ignore[arg-type]
        for pk, found in everyone.items():
            official = [p for p in found if p.role == Role.CONTACT_POINT or p.is_head_of_delegation]
            contacts[pk] = official or found
    return [DirectoryEntry(d, bodies.get(d.pk, []), contacts.get(d.pk, [])) for d in rows]
