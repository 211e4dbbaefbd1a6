"""What the forum's register says about communications (docs/forum-register.md), loaded by
`secretariat forum load` inside its transaction (`accounts.forum_register.Section`):

- `reference_series`: the series notes and other numbered outputs take their reference numbers
  from (code, format, yearly reset, first number). Each becomes a `Series` row; numbers are
  still given at issue under the counter's row lock (`actions.allocate_number`). Where the
  register names series, only those are offered and accepted (`register_series`).
- `note_templates`: the forum's formulas and letterhead per kind of note and language."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from secretariat.accounts.forum_register import RegisterFile, Section, Sync, register_section
from secretariat.accounts.models import Delegation, Forum
from secretariat.communications import rendering
from secretariat.communications.models import NoteTemplate, Series


def register_series() -> QuerySet[Series]:
    """The series a new note (or other numbered output) may take its number from: the forum
    register's, or every series where the register names none (set up in the admin)."""
    forum = Forum.current()
    codes = [s["code"] for s in (forum.reference_series if forum is not None else [])]
    series = Series.objects.order_by("code")
    return series.filter(code__in=codes) if codes else series


def _no_check(reg: RegisterFile, parties: set[str]) -> None:
    return None


def _apply_series(
    entries: list[Any], delegations: dict[str, Delegation], sync: Sync, today: date
) -> None:
    for entry in entries:
        sync.row(
            Series,
            f"series {entry['code']}",
            {"code": entry["code"]},
            {
                "title": entry.get("title", ""),
                "format": entry.get("format", "{series}/{number}"),
                "yearly_reset": entry.get("yearly_reset", False),
                "start_at": entry.get("start_at", 1),
            },
        )


def _check_templates(reg: RegisterFile, parties: set[str]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(reg.data.get("note_templates", [])):
        key = (entry["kind"], entry["language"])
        if key in seen:
            other = reg.line(("note_templates", seen[key]))
            raise reg.error(
                ("note_templates", i), f"the {key[0]} template in “{key[1]}” is on line {other}"
            )
        seen[key] = i
        for part in ("body", "letterhead"):
            try:
                rendering.check_template(entry.get(part, ""))
            except rendering.TemplateProblem as exc:
                raise reg.error(("note_templates", i, part), f"the template fails: {exc}") from None


def _apply_templates(
    entries: list[Any], delegations: dict[str, Delegation], sync: Sync, today: date
) -> None:
    for entry in entries:
        sync.row(
            NoteTemplate,
            f"note template {entry['kind']} {entry['language']}",
            {"kind": entry["kind"], "language": entry["language"]},
            {
                "place": entry.get("place", ""),
                "letterhead": entry.get("letterhead", ""),
                "body": entry["body"],
            },
        )


def _export_templates() -> list[Any]:
    out = []
    for t in NoteTemplate.objects.order_by("kind", "language"):
        entry: dict[str, Any] = {"kind": t.kind, "language": t.language}
        if t.place:
            entry["place"] = t.place
        if t.letterhead:
            entry["letterhead"] = t.letterhead
        entry["body"] = t.body
        out.append(entry)
    return out


def register() -> None:
    # The series themselves are exported by the register (the forum row keeps them).
    register_section(Section("reference_series", _no_check, _apply_series))
    register_section(
        Section("note_templates", _check_templates, _apply_templates, _export_templates)
    )
