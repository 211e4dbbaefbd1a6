"""The forum register file: everything forum-specific about an installation, as data.

A YAML file (schema: `forum_register.schema.json`, documented in docs/forum-register.md) names
the forum in its working languages, its members with their codes and aliases, the groups and
subgroups, the non-member participants with their access tier, the bodies and who sits in them,
the presiding arrangement (who speaks for the presiding side and under which code), who holds
the secretariat's powers, the reference-number series and, optionally, the people.

`load_register(path)` creates or updates the rows in one transaction: each row is found by its
natural key (a code, a user name) and only written when it differs, so a second load changes
nothing. A member, group or body that left the file is retired, never deleted: documents and
positions refer to it. Any error (the schema, an unknown code, a duplicate) names the file's
line and nothing is written. `export_register(path)` writes the rows back in the same format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.db import models, transaction
from django.utils import timezone

from secretariat.accounts.models import (
    Body,
    CoordinatorSeat,
    Delegation,
    DelegationAlias,
    Forum,
    MemberGroup,
    Role,
    User,
)

SCHEMA_FILE = Path(__file__).resolve().parent / "forum_register.schema.json"

Path_ = tuple[str | int, ...]


class RegisterError(Exception):
    """An error in a register file, with the line it is on (1-based; 0 when unknown)."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


@dataclass
class Report:
    """What a load did (or, with dry_run, would do), one line per row."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.changed or self.retired)

    def lines(self) -> Iterator[str]:
        for verb, items in (
            ("created", self.created),
            ("changed", self.changed),
            ("retired", self.retired),
        ):
            for item in items:
                yield f"{verb}: {item}"
        yield (
            f"{len(self.created)} created, {len(self.changed)} changed, {len(self.retired)} retired"
        )


@dataclass
class RegisterFile:
    """The parsed file: plain data plus the line of every value, by its path in the data."""

    name: str
    data: dict[str, Any]
    lines: dict[Path_, int]

    def line(self, path: Iterable[str | int]) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)

    def error(self, path: Iterable[str | int], message: str) -> RegisterError:
        return RegisterError(self.name, self.line(path), message)


# ---------------------------------------------------------------------------------------------
# Reading


class _Loader(yaml.SafeLoader):
    """Safe YAML where dates stay text (the schema checks them; the loader converts)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _build(node: yaml.Node, path: Path_, loader: _Loader, reg: RegisterFile) -> Any:
    reg.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                raise RegisterError(
                    reg.name, key_node.start_mark.line + 1, f"the key {key!r} is not a name"
                )
            if key in out:
                raise RegisterError(
                    reg.name, key_node.start_mark.line + 1, f"“{key}” is given twice"
                )
            out[key] = _build(value_node, (*path, key), loader, reg)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), loader, reg) for i, item in enumerate(node.value)]
    return loader.construct_object(node)


def read_register(path: str | Path) -> RegisterFile:
    """Parse and check a register file; RegisterError (with its line) on any problem."""
    path = Path(path)
    reg = RegisterFile(path.name, {}, {})
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterError(reg.name, 0, f"cannot read the file ({exc})") from None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise RegisterError(reg.name, 1, "the file is empty")
        data = _build(root, (), loader, reg)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise RegisterError(reg.name, line, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise RegisterError(reg.name, 0, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RegisterError(reg.name, 1, "the register must be a mapping (forum:, members:, ...)")
    reg.data = data
    _validate_schema(reg)
    _check(reg)
    return reg


def schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return result


def _validate_schema(reg: RegisterFile) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(reg.data), key=lambda e: reg.line(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top)"
        raise reg.error(first.absolute_path, f"{where}: {first.message}")


def _walk_groups(
    groups: list[dict[str, Any]], path: Path_, parent: str | None = None
) -> Iterator[tuple[dict[str, Any], Path_, str | None]]:
    for i, group in enumerate(groups):
        yield group, (*path, i), parent
        yield from _walk_groups(group.get("subgroups", []), (*path, i, "subgroups"), group["code"])


def _check(reg: RegisterFile) -> None:
    """What the schema cannot say: codes unique across the file, references known."""
    d = reg.data
    seen: dict[str, Path_] = {}

    def claim(spelling: str, path: Path_) -> None:
        key = spelling.upper()
        if key in seen:
            other = reg.line(seen[key])
            raise reg.error(path, f"the code “{spelling}” is already used on line {other}")
        seen[key] = path

    presiding = d["presiding"]
    if presiding.get("code"):
        claim(presiding["code"], ("presiding", "code"))
        for j, alias in enumerate(presiding.get("aliases", [])):
            claim(alias, ("presiding", "aliases", j))
    elif presiding.get("aliases"):
        raise reg.error(("presiding", "aliases"), "aliases without a code")
    for section in ("members", "participants"):
        for i, entry in enumerate(d.get(section, [])):
            claim(entry["code"], (section, i, "code"))
            for j, alias in enumerate(entry.get("aliases", [])):
                claim(alias, (section, i, "aliases", j))
            if entry.get("joined") and entry.get("left") and entry["left"] <= entry["joined"]:
                raise reg.error((section, i, "left"), "withdrawal before accession")
    members = {m["code"] for m in d["members"]}
    parties = members | {p["code"] for p in d.get("participants", [])}

    groups: dict[str, Path_] = {}
    for group, path, _parent in _walk_groups(d.get("groups", []), ("groups",)):
        if group["code"] in groups or group["code"] in seen:
            raise reg.error((*path, "code"), f"the code “{group['code']}” is already used")
        groups[group["code"]] = path
        for j, code in enumerate(group.get("members", [])):
            if code not in members:
                raise reg.error((*path, "members", j), f"“{code}” is not a member")

    bodies: dict[str, int] = {}
    for i, body in enumerate(d["bodies"]):
        if body["code"] in bodies:
            raise reg.error((("bodies", i, "code")), f"the body “{body['code']}” is given twice")
        bodies[body["code"]] = i
        spec = body["members"]
        if isinstance(spec, dict) and spec["group"] not in groups:
            raise reg.error(("bodies", i, "members", "group"), f"no group “{spec['group']}”")
        if isinstance(spec, list):
            for j, code in enumerate(spec):
                if code not in members:
                    raise reg.error(("bodies", i, "members", j), f"“{code}” is not a member")
    for i, body in enumerate(d["bodies"]):
        parent = body.get("reports_to")
        if parent is not None and parent not in bodies:
            raise reg.error(("bodies", i, "reports_to"), f"no body “{parent}”")
    for i, seat in enumerate(presiding.get("seats", [])):
        if seat["group"] not in groups:
            raise reg.error(("presiding", "seats", i, "group"), f"no group “{seat['group']}”")
        if seat["holder"] not in parties:
            raise reg.error(("presiding", "seats", i, "holder"), f"no member “{seat['holder']}”")
    series: set[str] = set()
    for i, s in enumerate(d.get("reference_series", [])):
        if s["code"] in series:
            raise reg.error(("reference_series", i, "code"), f"the series “{s['code']}” twice")
        series.add(s["code"])
    usernames: set[str] = set()
    speakers = parties | ({presiding["code"]} if presiding.get("code") else set())
    for i, person in enumerate(d.get("people", [])):
        if person["username"] in usernames:
            raise reg.error(("people", i, "username"), f"“{person['username']}” is given twice")
        usernames.add(person["username"])
        code = person.get("delegation")
        if code is not None and code not in speakers:
            raise reg.error(("people", i, "delegation"), f"no delegation “{code}”")
        if person["role"] in ("delegate", "contact_point") and code is None:
            raise reg.error(("people", i), "a delegate or contact point needs a delegation")


# ---------------------------------------------------------------------------------------------
# Loading


class _DryRun(Exception):
    pass


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class _Sync:
    def __init__(self, report: Report) -> None:
        self.report = report

    def row(
        self, model: type[models.Model], label: str, lookup: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.report.created.append(label)
            return obj
        changed = [k for k, v in values.items() if getattr(obj, k) != v]
        if changed:
            for k in changed:
                setattr(obj, k, values[k])
            obj.save(update_fields=changed)
            self.report.changed.append(f"{label} ({', '.join(changed)})")
        return obj

    def members(self, label: str, relation: Any, wanted: Iterable[Delegation]) -> None:
        wanted = list(wanted)
        if set(relation.values_list("pk", flat=True)) != {m.pk for m in wanted}:
            relation.set(wanted)
            if label not in self.report.created:
                self.report.changed.append(f"{label} (members)")


def load_register(path: str | Path, *, dry_run: bool = False, today: date | None = None) -> Report:
    """Read, check and apply a register file in one transaction (nothing with dry_run)."""
    reg = read_register(path)
    report = Report()
    try:
        with transaction.atomic():
            _apply(reg.data, _Sync(report), today or timezone.localdate())
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _names(names: dict[str, str]) -> dict[str, str]:
    return {"name_en": names["en"], "name_ru": names.get("ru", "")}


def _party_names(names: dict[str, str]) -> dict[str, str]:
    return {**_names(names), "name_kk": names.get("kk", "")}


def _apply(d: dict[str, Any], sync: _Sync, today: date) -> None:
    forum_data, presiding = d["forum"], d["presiding"]
    forum = Forum.current()
    forum_values = {
        "short_name": forum_data["code"],
        **_names(forum_data["name"]),
        "presiding": presiding["arrangement"],
        "presiding_code": presiding.get("code", ""),
        "presiding_role": presiding["role"],
        "secretariat_powers": d.get("secretariat_powers", "secretariat"),
        "languages": forum_data["languages"],
        "reference_series": d.get("reference_series", []),
    }
    if forum is None:
        Forum.objects.create(**forum_values)
        sync.report.created.append(f"forum {forum_data['code']}")
    else:
        sync.row(Forum, f"forum {forum_data['code']}", {"pk": forum.pk}, forum_values)

    delegations: dict[str, Delegation] = {}
    aliases: dict[str, list[str]] = {}

    def party(entry: dict[str, Any], kind: str, extra: dict[str, Any]) -> None:
        code = entry["code"]
        delegations[code] = sync.row(
            Delegation,
            f"delegation {code}",
            {"code": code},
            {**_party_names(entry["name"]), "kind": kind, "retired": False, **extra},
        )
        aliases[code] = entry.get("aliases", [])

    if presiding.get("code"):
        names = presiding.get("name") or {"en": presiding["code"]}
        party(
            {**presiding, "name": names},
            Delegation.Kind.CHAIRMANSHIP,
            {"entity": Delegation.Entity.ORGANISATION, "joined_on": None, "left_on": None},
        )
    for entry in d["members"]:
        party(
            entry,
            Delegation.Kind.MEMBER,
            {
                "entity": entry.get("kind", "state"),
                "joined_on": _date(entry.get("joined")),
                "left_on": _date(entry.get("left")),
                "access_tier": Delegation.Tier.MEMBERS,
                "may_contribute": True,
            },
        )
    for entry in d.get("participants", []):
        party(
            entry,
            entry["role"],
            {
                "entity": entry.get("kind", "organisation"),
                "access_tier": entry.get("access", "public"),
                "may_contribute": entry.get("may_contribute", False),
            },
        )
    for code, spellings in aliases.items():
        delegation = delegations[code]
        for alias in spellings:
            sync.row(
                DelegationAlias, f"alias {alias}", {"alias": alias}, {"delegation": delegation}
            )
        stale = delegation.aliases.exclude(alias__in=spellings)
        for alias in stale.values_list("alias", flat=True):
            sync.report.changed.append(f"delegation {code} (alias {alias} removed)")
        stale.delete()
    for gone in Delegation.objects.exclude(code__in=delegations).filter(retired=False):
        gone.retired = True
        gone.save(update_fields=["retired"])
        sync.report.retired.append(f"delegation {gone.code}")

    groups: dict[str, MemberGroup] = {}
    order = 0
    for entry, _path, parent in _walk_groups(d.get("groups", []), ("groups",)):
        order += 10
        code = entry["code"]
        group = sync.row(
            MemberGroup,
            f"group {code}",
            {"code": code},
            {
                **_names(entry["name"]),
                "parent": groups[parent] if parent else None,
                "order": order,
                "retired": False,
            },
        )
        groups[code] = group
        sync.members(
            f"group {code}", group.members, [delegations[c] for c in entry.get("members", [])]
        )
    for gone_group in MemberGroup.objects.exclude(code__in=groups).filter(retired=False):
        gone_group.retired = True
        gone_group.save(update_fields=["retired"])
        sync.report.retired.append(f"group {gone_group.code}")

    current = [
        m
        for m in delegations.values()
        if m.kind == Delegation.Kind.MEMBER and m.is_member_on(today)
    ]
    bodies: dict[str, Body] = {}
    for i, entry in enumerate(d["bodies"]):
        code, spec = entry["code"], entry["members"]
        if spec == "all":
            membership, group, wanted = Body.Membership.ALL, None, current
        elif isinstance(spec, dict):
            group = groups[spec["group"]]
            ids = group.all_member_ids()
            membership, wanted = Body.Membership.GROUP, [m for m in current if m.pk in ids]
        else:
            membership, group = Body.Membership.LIST, None
            wanted = [m for m in current if m.code in spec]
        bodies[code] = sync.row(
            Body,
            f"body {code}",
            {"code": code},
            {
                **_names(entry["name"]),
                "order": i * 10,
                "membership": membership,
                "group": group,
                "retired": False,
                **(
                    {"reports_to": bodies[parent]}
                    if (parent := entry.get("reports_to")) in bodies
                    else {}
                ),
            },
        )
        sync.members(f"body {code}", bodies[code].members, wanted)
    for entry in d["bodies"]:
        parent = entry.get("reports_to")
        sync.row(
            Body,
            f"body {entry['code']}",
            {"code": entry["code"]},
            {"reports_to": bodies[parent] if parent else None},
        )
    for gone_body in Body.objects.exclude(code__in=bodies).filter(retired=False):
        gone_body.retired = True
        gone_body.save(update_fields=["retired"])
        sync.report.retired.append(f"body {gone_body.code}")

    kept: list[int] = []
    for seat in presiding.get("seats", []):
        label = f"seat {seat['group']} {seat['seat']}: {seat['holder']}"
        row = sync.row(
            CoordinatorSeat,
            label,
            {
                "group": groups[seat["group"]],
                "label": seat["seat"],
                "holder": delegations[seat["holder"]],
                "starts_on": _date(seat.get("from")),
            },
            {"kind": seat["kind"], "ends_on": _date(seat.get("until"))},
        )
        kept.append(row.pk)
    for old in CoordinatorSeat.objects.exclude(pk__in=kept).select_related("group", "holder"):
        sync.report.retired.append(f"seat {old.group.code} {old.label}: {old.holder.code}")
        old.delete()  # a seat is a fact of the register, nothing refers to it

    for person in d.get("people", []):
        _person(person, delegations, sync)


def _person(person: dict[str, Any], delegations: dict[str, Delegation], sync: _Sync) -> None:
    username = person["username"]
    is_admin = person["role"] == Role.SECRETARIAT
    code = person.get("delegation")
    values = {
        "first_name": person.get("first_name", ""),
        "last_name": person.get("last_name", ""),
        "email": person.get("email", ""),
        "role": person["role"],
        "delegation": delegations[code] if code else None,
        "is_staff": is_admin,
        "is_superuser": is_admin,
        "is_head_of_delegation": person.get("head_of_delegation", False),
    }
    if "language" in person:
        values["language"] = person["language"]
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **values)
        user.set_unusable_password()  # they sign in by single sign-on or a reset link
        user.save()
        sync.report.created.append(f"person {username}")
        return
    changed = [k for k, v in values.items() if getattr(user, k) != v]
    if changed:
        for k in changed:
            setattr(user, k, values[k])
        user.save(update_fields=changed)
        sync.report.changed.append(f"person {username} ({', '.join(changed)})")


# ---------------------------------------------------------------------------------------------
# Exporting


def _names_of(obj: Any) -> dict[str, str]:
    out = {"en": obj.name_en}
    if obj.name_ru:
        out["ru"] = obj.name_ru
    if getattr(obj, "name_kk", ""):
        out["kk"] = obj.name_kk
    return out


def _aliases(delegation: Delegation) -> list[str]:
    return sorted(a.alias for a in delegation.aliases.all())


def _group_entry(group: MemberGroup) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": group.code, "name": _names_of(group)}
    members = sorted(group.members.values_list("code", flat=True))
    if members:
        entry["members"] = members
    subs = [_group_entry(g) for g in group.subgroups.filter(retired=False)]
    if subs:
        entry["subgroups"] = subs
    return entry


def register_data() -> dict[str, Any]:
    """The forum's rows as register data (what `export` writes; it loads back unchanged)."""
    forum = Forum.current()
    if forum is None:
        raise RegisterError("(database)", 0, "no forum has been loaded")
    live = Delegation.objects.filter(retired=False).prefetch_related("aliases")
    presiding: dict[str, Any] = {"arrangement": forum.presiding, "role": forum.presiding_role}
    if forum.presiding_code:
        chair = live.get(code=forum.presiding_code)
        presiding["code"] = chair.code
        presiding["name"] = _names_of(chair)
        if _aliases(chair):
            presiding["aliases"] = _aliases(chair)
    seats = []
    for seat in CoordinatorSeat.objects.select_related("group", "holder").order_by("pk"):
        entry: dict[str, Any] = {
            "group": seat.group.code,
            "seat": seat.label,
            "kind": seat.kind,
            "holder": seat.holder.code,
        }
        if seat.starts_on:
            entry["from"] = seat.starts_on.isoformat()
        if seat.ends_on:
            entry["until"] = seat.ends_on.isoformat()
        seats.append(entry)
    if seats:
        presiding["seats"] = seats
    members = []
    for m in live.filter(kind=Delegation.Kind.MEMBER):
        entry = {"code": m.code, "name": _names_of(m), "kind": m.entity}
        if _aliases(m):
            entry["aliases"] = _aliases(m)
        if m.joined_on:
            entry["joined"] = m.joined_on.isoformat()
        if m.left_on:
            entry["left"] = m.left_on.isoformat()
        members.append(entry)
    participants = [
        {
            "code": p.code,
            "name": _names_of(p),
            "kind": p.entity,
            "role": p.kind,
            "access": p.access_tier,
            "may_contribute": p.may_contribute,
            **({"aliases": _aliases(p)} if _aliases(p) else {}),
        }
        for p in live.filter(kind__in=[Delegation.Kind.OBSERVER, Delegation.Kind.PARTNER])
    ]
    bodies = []
    for body in Body.objects.filter(retired=False).select_related("group", "reports_to"):
        spec: Any
        if body.membership == Body.Membership.ALL:
            spec = "all"
        elif body.membership == Body.Membership.GROUP and body.group is not None:
            spec = {"group": body.group.code}
        else:
            spec = sorted(body.members.values_list("code", flat=True))
        entry = {"code": body.code, "name": _names_of(body), "members": spec}
        if body.reports_to is not None:
            entry["reports_to"] = body.reports_to.code
        bodies.append(entry)
    people = []
    for user in User.objects.select_related("delegation").order_by("username"):
        person: dict[str, Any] = {"username": user.username, "role": user.role}
        for key in ("first_name", "last_name", "email"):
            if getattr(user, key):
                person[key] = getattr(user, key)
        if user.delegation is not None:
            person["delegation"] = user.delegation.code
        person["language"] = user.language
        if user.is_head_of_delegation:
            person["head_of_delegation"] = True
        people.append(person)
    out: dict[str, Any] = {
        "forum": {"code": forum.short_name, "name": _names_of(forum), "languages": forum.languages},
        "presiding": presiding,
        "secretariat_powers": forum.secretariat_powers,
        "members": members,
    }
    if participants:
        out["participants"] = participants
    groups = [_group_entry(g) for g in MemberGroup.objects.filter(parent=None, retired=False)]
    if groups:
        out["groups"] = groups
    out["bodies"] = bodies
    if forum.reference_series:
        out["reference_series"] = forum.reference_series
    if people:
        out["people"] = people
    return out


def export_register(path: str | Path) -> None:
    text = yaml.safe_dump(register_data(), allow_unicode=True, sort_keys=False, width=100)
    Path(path).write_text(
        "# Forum register (docs/forum-register.md), written by `secretariat forum export`.\n"
        + text,
        encoding="utf-8",
    )
