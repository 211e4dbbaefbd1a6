"""The forum's register of delegation codes and aliases, as the text engine takes it."""

from __future__ import annotations

from secretariat.accounts.models import Delegation, DelegationAlias, Forum, MemberGroup, Role


def code_mapping() -> dict[str, str]:
    """Every code and alias (upper case) -> the delegation's canonical code."""
    mapping = {code: code for code in Delegation.objects.values_list("code", flat=True)}
    for alias, code in DelegationAlias.objects.values_list("alias", "delegation__code"):
        mapping[alias.upper()] = code
    # A group may state a position as one (`(+ASEAN)`): its code is a code of the register.
    for code in MemberGroup.objects.filter(retired=False).values_list("code", flat=True):
        mapping.setdefault(code, code)
    return mapping


def groups_of_codes() -> dict[str, list[str]]:
    """Canonical code -> the groups it counts in: a member's groups and their parents, a
    group's own code and its parents (for the chair's dashboard, sorted by the groups' order)."""
    groups = list(MemberGroup.objects.filter(retired=False).order_by("order", "code"))
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
