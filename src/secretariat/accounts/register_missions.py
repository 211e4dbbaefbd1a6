"""The register's `missions` section: each delegation's missions by city (embassies, permanent
representations) with their contact points (docs/forum-register.md).

Kept apart from `forum_register.py` (a `Section` like the other apps' ones): a mission is found
by (delegation, kind, city) and a contact point by its name within the mission, so a second
load changes nothing; a mission or contact that left the file is removed (nothing refers to
them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from secretariat.accounts.forum_register import RegisterFile, Section, Sync, register_section
from secretariat.accounts.models import Delegation, Mission, MissionContact


def _check(reg: RegisterFile, parties: set[str]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for i, mission in enumerate(reg.data.get("missions", [])):
        code = mission["delegation"]
        if code not in parties:
            raise reg.error(("missions", i, "delegation"), f"no delegation “{code}”")
        key = (code, mission["kind"], mission["city"])
        if key in seen:
            other = reg.line(("missions", seen[key]))
            raise reg.error(
                ("missions", i), f"the {key[1]} of {code} in {key[2]} is already on line {other}"
            )
        seen[key] = i
        names: set[str] = set()
        for j, contact in enumerate(mission.get("contacts", [])):
            if contact["name"] in names:
                raise reg.error(
                    ("missions", i, "contacts", j, "name"), f"“{contact['name']}” is given twice"
                )
            names.add(contact["name"])


def _apply(entries: list[Any], delegations: dict[str, Delegation], sync: Sync, today: date) -> None:
    kept: list[int] = []
    for order, entry in enumerate(entries):
        code = entry["delegation"]
        label = f"mission {code} {entry['kind']} {entry['city']}"
        mission = sync.row(
            Mission,
            label,
            {"delegation": delegations[code], "kind": entry["kind"], "city": entry["city"]},
            {
                "name": entry.get("name", ""),
                "address": entry.get("address", ""),
                "email": entry.get("email", ""),
                "phone": entry.get("phone", ""),
                "order": order,
            },
        )
        kept.append(mission.pk)
        contacts: list[int] = []
        for j, contact in enumerate(entry.get("contacts", [])):
            row = sync.row(
                MissionContact,
                f"{label}: {contact['name']}",
                {"mission": mission, "name": contact["name"]},
                {
                    "position": contact.get("position", ""),
                    "email": contact.get("email", ""),
                    "phone": contact.get("phone", ""),
                    "order": j,
                },
            )
            contacts.append(row.pk)
        for gone in mission.contacts.exclude(pk__in=contacts):
            sync.report.retired.append(f"{label}: {gone.name}")
            gone.delete()
    for old in Mission.objects.exclude(pk__in=kept).select_related("delegation"):
        sync.report.retired.append(f"mission {old.delegation.code} {old.kind} {old.city}")
        old.delete()


def _export() -> list[Any]:
    out = []
    missions = Mission.objects.select_related("delegation").prefetch_related("contacts")
    for mission in missions.order_by("order", "pk"):
        entry: dict[str, Any] = {
            "delegation": mission.delegation.code,
            "kind": mission.kind,
            "city": mission.city,
        }
        for key in ("name", "address", "email", "phone"):
            if getattr(mission, key):
                entry[key] = getattr(mission, key)
        contacts = []
        for contact in mission.contacts.all():
            item = {"name": contact.name}
            for key in ("position", "email", "phone"):
                if getattr(contact, key):
                    item[key] = getattr(contact, key)
            contacts.append(item)
        if contacts:
            entry["contacts"] = contacts
        out.append(entry)
    return out


def register() -> None:
    register_section(Section("missions", _check, _apply, _export))
