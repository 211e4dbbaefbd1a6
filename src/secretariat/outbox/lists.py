"""Distribution lists: who receives mail sent to member states, a body, some delegations or a
role, and why each person is on the list.

Official mail (notes verbales) goes to each delegation's contact points and head of
delegation; when a delegation has registered neither, its delegates receive it instead, so no
member state silently misses an official communication. Notification-type mail goes to every
user of the delegation.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secretariat.accounts.models import Body, Delegation, Role, User


class Audience(enum.StrEnum):
    OFFICIAL = "official"  # contact points and heads of delegation (else the delegates)
    CONTACT_POINTS = "contact_points"
    HEADS = "heads"
    ALL = "all"  # every user of the delegation (notification-type mail)


AUDIENCE_LABELS = {
    Audience.OFFICIAL: gettext_lazy("contact points and heads of delegation"),
    Audience.CONTACT_POINTS: gettext_lazy("contact points"),
    Audience.HEADS: gettext_lazy("heads of delegation"),
    Audience.ALL: gettext_lazy("all delegates"),
}

# Users who speak for their delegation (observers and the secretariat are not on lists).
DELEGATION_ROLES = (Role.DELEGATE, Role.CONTACT_POINT, Role.COORDINATOR, Role.CHAIR)


@dataclass(frozen=True)
class ListSpec:
    """Who a mailing goes to: any combination of all member states, bodies (their member
    delegations) and chosen delegation codes, narrowed to an audience within each."""

    all_member_states: bool = False
    bodies: tuple[str, ...] = ()
    delegations: tuple[str, ...] = ()
    audience: Audience = Audience.OFFICIAL

    @property
    def slug(self) -> str:
        parts = []
        if self.all_member_states:
            parts.append("members")
        parts += [f"body-{c}" for c in self.bodies]
        parts += [f"del-{c}" for c in self.delegations]
        parts.append(str(self.audience))
        return re.sub(r"[^a-z0-9-]+", "-", ".".join(parts).lower()).strip("-.")

    @property
    def list_id(self) -> str:
        """An RFC 2919 List-Id value: `<slug.outbox.domain>`."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
        return f"<{self.slug.replace('.', '-')}.{domain}>"

    def label(self) -> str:
        scopes: list[str] = []
        if self.all_member_states:
            scopes.append(_("all member states"))
        for code in self.bodies:
            scopes.append(_("members of %(body)s") % {"body": code})
        if self.delegations:
            scopes.append(", ".join(self.delegations))
        return _("%(scope)s: %(audience)s") % {
            "scope": "; ".join(scopes) or _("nobody"),
            "audience": AUDIENCE_LABELS[self.audience],
        }


@dataclass(frozen=True)
class ListMember:
    user: User
    reason: str  # translated in the active language, e.g. "contact point of India"


def _delegations(spec: ListSpec) -> dict[int, tuple[Delegation, str]]:
    """Delegation id -> (delegation, why it is included) in the order of the spec."""
    found: dict[int, tuple[Delegation, str]] = {}
    today = timezone.localdate()
    if spec.all_member_states:
        for d in Delegation.objects.members_on():
            found.setdefault(d.pk, (d, _("member state")))
    if spec.bodies:
        for body in Body.objects.filter(code__in=spec.bodies).prefetch_related("members"):
            for d in body.members.all():
                if not d.is_member_on(today):
                    continue  # withdrawn or retired: no longer on the body's list
                found.setdefault(d.pk, (d, _("sits in %(body)s") % {"body": body.code}))
    if spec.delegations:
        for d in Delegation.objects.in_register().filter(code__in=spec.delegations):
            found.setdefault(d.pk, (d, _("chosen delegation")))
    return found


def _role_reason(user: User, delegation: Delegation) -> str:
    name = delegation.name
    if user.role == Role.CONTACT_POINT and user.is_head_of_delegation:
        return _("contact point and head of delegation of %(delegation)s") % {"delegation": name}
    if user.role == Role.CONTACT_POINT:
        return _("contact point of %(delegation)s") % {"delegation": name}
    if user.is_head_of_delegation:
        return _("head of delegation of %(delegation)s") % {"delegation": name}
    return _("delegate of %(delegation)s") % {"delegation": name}


def members_of(spec: ListSpec) -> list[ListMember]:
    """The users a mailing to `spec` reaches, each once, with the reason they are on it."""
    delegations = _delegations(spec)
    if not delegations:
        return []
    users = (
        User.objects.filter(
            is_active=True, delegation_id__in=list(delegations), role__in=DELEGATION_ROLES
        )
        .select_related("delegation")
        .order_by("delegation__code", "-is_head_of_delegation", "role", "username")
    )
    by_delegation: dict[int, list[User]] = {}
    for user in users:
        by_delegation.setdefault(user.delegation_id, []).append(user)  # type: ignore[arg-type]

    out: list[ListMember] = []
    for pk, (delegation, why) in sorted(delegations.items(), key=lambda kv: kv[1][0].code):
        people = by_delegation.get(pk, [])
        official = [u for u in people if u.role == Role.CONTACT_POINT or u.is_head_of_delegation]
        chosen: list[tuple[User, str]]
        if spec.audience == Audience.CONTACT_POINTS:
            chosen = [
                (u, _role_reason(u, delegation)) for u in people if u.role == Role.CONTACT_POINT
            ]
        elif spec.audience == Audience.HEADS:
            chosen = [(u, _role_reason(u, delegation)) for u in people if u.is_head_of_delegation]
        elif spec.audience == Audience.ALL:
            chosen = [(u, _role_reason(u, delegation)) for u in people]
        elif official:
            chosen = [(u, _role_reason(u, delegation)) for u in official]
        else:
            fallback = _(
                "delegate of %(delegation)s (no contact point or head of delegation registered)"
            )
            chosen = [(u, fallback % {"delegation": delegation.name}) for u in people]
        for user, reason in chosen:
            out.append(ListMember(user, f"{reason} — {why}"))
    return out


def standard_lists() -> list[ListSpec]:
    """The lists the secretariat page shows: all member states, each body, each role, and each
    member delegation."""
    specs = [
        ListSpec(all_member_states=True),
        ListSpec(all_member_states=True, audience=Audience.ALL),
    ]
    specs += [ListSpec(bodies=(b.code,)) for b in Body.objects.all()]
    specs += [
        ListSpec(all_member_states=True, audience=Audience.CONTACT_POINTS),
        ListSpec(all_member_states=True, audience=Audience.HEADS),
    ]
    specs += [ListSpec(delegations=(d.code,)) for d in Delegation.objects.members_on()]
    return specs
