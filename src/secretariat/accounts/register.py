"""The forum's register as the product reads it: codes and aliases for the text engine, the
presiding side, groups, and the forum page's overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Value

from secretariat.accounts.models import (
    Body,
    CoordinatorSeat,
    Delegation,
    DelegationAlias,
    Forum,
    MemberGroup,
    Role,
)


def code_mapping() -> dict[str, str]:
    """Every code and alias (upper case) -> the delegation's canonical code; a group's code
    (`(+ASEAN)`: a group may state a position as one) -> itself. One query."""
    codes = (
        Delegation.objects.order_by().annotate(rank=Value(0)).values_list("code", "code", "rank")
    )
    aliases = (
        DelegationAlias.objects.order_by()
        .annotate(rank=Value(1))
        .values_list("alias", "delegation__code", "rank")
    )
    groups = (
        MemberGroup.objects.filter(retired=False)
        .order_by()
        .annotate(rank=Value(2))
        .values_list("code", "code", "rank")
    )
    mapping: dict[str, str] = {}
    for spelling, code, rank in sorted(codes.union(aliases, groups, all=True), key=lambda r: r[2]):
        if rank == 0:
            mapping[spelling] = code
        elif rank == 1:
            mapping[spelling.upper()] = code
        else:
            mapping.setdefault(spelling, code)
    return mapping


def groups_of_codes() -> dict[str, list[str]]:
    """Canonical code -> the groups it counts in: a member's groups and their parents, a
    group's own code and its parents (for the chair's dashboard, sorted by the groups' order)."""
    groups = list(MemberGroup.objects.filter(retired=False).order_by("order", "code"))
    if not groups:
        return {}
    by_pk = {g.pk: g for g in groups}
    order = {g.code: i for i, g in enumerate(groups)}

    def lineage(group: MemberGroup) -> list[str]:
        out = []
        seen: set[int] = set()
        current: MemberGroup | None = group
        while current is not None and current.pk not in seen:
            seen.add(current.pk)
            out.append(current.code)
            current = by_pk.get(current.parent_id) if current.parent_id else None
        return out

    result: dict[str, set[str]] = {g.code: set(lineage(g)) for g in groups}
    links = MemberGroup.members.through.objects.filter(membergroup_id__in=list(by_pk))
    for group_id, code in links.values_list("membergroup_id", "delegation__code"):
        result.setdefault(code, set()).update(lineage(by_pk[group_id]))
    return {code: sorted(names, key=order.__getitem__) for code, names in result.items()}


def presiding_code() -> str:
    """The code under which the presiding side speaks in the drafts (`CHAIR` in CICA, `COORD`
    in the ASEM demo), from the forum's register; blank when the forum has none."""
    forum = Forum.current()
    return forum.presiding_code if forum is not None else ""


def presiding_role() -> str:
    """The role whose holders speak for the presiding side (chair, or coordinator)."""
    forum = Forum.current()
    return forum.presiding_role if forum is not None else Role.CHAIR


def secretariat_powers() -> str:
    """Who holds the secretariat's powers: a standing secretariat, or (where the forum has
    none) the presiding side's holders."""
    forum = Forum.current()
    return forum.secretariat_powers if forum is not None else Forum.Powers.SECRETARIAT


@dataclass
class GroupRow:
    group: MemberGroup
    depth: int
    members: list[Delegation]  # its own and its subgroups', current members only


@dataclass
class ForumOverview:
    """What the forum page shows: who presides, the seats held today, the groups with their
    members counted, the participants that are not members, the bodies."""

    forum: Forum | None
    seats: list[CoordinatorSeat]
    groups: list[GroupRow]
    members: list[Delegation]
    participants: list[Delegation]
    bodies: list[Body]


def forum_overview(today: date) -> ForumOverview:
    live = Delegation.objects.filter(retired=False)
    members = [m for m in live.filter(kind=Delegation.Kind.MEMBER) if m.is_member_on(today)]
    by_pk = {m.pk: m for m in members}
    groups = list(MemberGroup.objects.filter(retired=False).order_by("order", "code"))
    children: dict[int | None, list[MemberGroup]] = {}
    for g in groups:
        children.setdefault(g.parent_id, []).append(g)
    rows: list[GroupRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for g in children.get(parent, []):
            ids = g.all_member_ids()
            rows.append(GroupRow(g, depth, [by_pk[i] for i in sorted(ids, key=str) if i in by_pk]))
            walk(g.pk, depth + 1)

    walk(None, 0)
    for row in rows:
        row.members.sort(key=lambda m: m.code)
    seats = [
        s
        for s in CoordinatorSeat.objects.select_related("group", "holder").prefetch_related(
            "term__holders"  # the coordinators' term the programme keeps for the seat
        )
        if (s.starts_on is None or s.starts_on <= today)
        and (s.ends_on is None or s.ends_on >= today)
    ]
    for seat in seats:
        term = getattr(seat, "term", None)  # None: no term recorded (yet) for this seat
        seat.coordinators = (  # type: ignore[attr-defined]
            [u.get_full_name() or u.username for u in term.holders.all()] if term else []
        )
    bodies = list(
        Body.objects.filter(retired=False).select_related("group").prefetch_related("members")
    )
    for body in bodies:  # who sits today (accession and withdrawal dates count on their day)
        body.sitting = [m for m in body.members.all() if m.is_member_on(today)]  # type: ignore[attr-defined]
    return ForumOverview(
        forum=Forum.current(),
        seats=seats,
        groups=rows,
        members=sorted(members, key=lambda m: m.code),
        participants=list(
            live.filter(kind__in=[Delegation.Kind.OBSERVER, Delegation.Kind.PARTNER])
        ),
        bodies=bodies,
    )
