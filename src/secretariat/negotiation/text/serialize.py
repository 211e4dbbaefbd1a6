"""The JSON shape printed by ``secretariat text parse --json``."""

from __future__ import annotations

from typing import Any

from .model import Bracket, Draft, Note, Option, Paragraph, Position


def position_to_json(p: Position) -> dict[str, Any]:
    return {"delegation": p.delegation, "stance": p.stance, "qualifier": p.qualifier}


def option_to_json(o: Option) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": o.text,
        "positions": [position_to_json(p) for p in o.positions],
    }
    if o.label is not None:  # ``Option 1:``, ``Option (b)(i)``: a labelled option block
        data["label"] = o.label
        data["paragraphs"] = list(o.paragraphs)  # the paragraphs it heads, if any
    return data


def note_to_json(n: Note) -> dict[str, Any]:
    return {"delegations": list(n.delegations), "text": n.text}


def bracket_to_json(b: Bracket) -> dict[str, Any]:
    return {
        "id": b.id,
        "parent": b.parent,
        "text": b.text,
        "positions": [position_to_json(p) for p in b.positions],
        "options": [option_to_json(o) for o in b.options],
    }


def paragraph_to_json(p: Paragraph) -> dict[str, Any]:
    return {
        "label": p.label,
        "kind": p.kind,
        "alternative_of": p.alternative_of,
        "text": p.text,
        "agreed": p.agreed,
        "brackets": [bracket_to_json(b) for b in p.brackets],
        "positions": [position_to_json(x) for x in p.positions],
        "options": [option_to_json(o) for o in p.options],
        "notes": [note_to_json(n) for n in p.notes],
    }


def draft_to_json(draft: Draft) -> dict[str, Any]:
    return {
        "paragraphs": [paragraph_to_json(p) for p in draft.paragraphs],
        "diagnostics": [
            {"line": d.line, "column": d.column, "severity": d.severity, "message": d.message}
            for d in draft.diagnostics
        ],
    }
