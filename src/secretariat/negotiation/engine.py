"""The one door to the text engine (``secretariat.negotiation.text``) for the Django app.

The engine is pure Python and owns the notation; this module adds what the app needs around
it: the forum's register of codes, stable paragraph keys, and summary figures.
"""

from __future__ import annotations

import re
from typing import Any

from secretariat.negotiation.text import (
    Register,
    agreed_text,
    compare,
    draft_to_json,
    objections,
    parse,
    read_docx,
    render_compare_html,
    render_html,
    render_notation,
    render_paragraph_notation,
    write_docx,
)
from secretariat.negotiation.text.model import Draft, Paragraph

__all__ = [
    "Draft",
    "Paragraph",
    "agreed_text",
    "compare",
    "draft_to_json",
    "objections",
    "parse",
    "read_docx",
    "render_compare_html",
    "render_html",
    "render_notation",
    "render_paragraph_notation",
    "write_docx",
]


def forum_register() -> Register:
    """The forum's codes and aliases (from the accounts register), over the engine's default."""
    from secretariat.accounts.register import code_mapping

    mapping = code_mapping()
    if not mapping:
        return Register.default()
    return Register.from_mapping(mapping).merged(Register.default())


def parse_text(text: str) -> Draft:
    return parse(text, register=forum_register())


def paragraph_keys(draft: Draft) -> list[str]:
    """One stable key per paragraph: the label made URL-safe (``PP5e-altern``), ``p3`` for an
    unlabelled paragraph, ``~2`` added to repeated labels (the same rule as the engine's
    bracket ids, so ``PP4-b1`` is a bracket of paragraph ``PP4``)."""
    seen: dict[str, int] = {}
    keys = []
    for index, p in enumerate(draft.paragraphs):
        base = re.sub(r"[^\w]+", "-", p.label).strip("-") if p.label else f"p{index + 1}"
        base = base or f"p{index + 1}"
        n = seen.get(base, 0) + 1
        seen[base] = n
        keys.append(base if n == 1 else f"{base}~{n}")
    return keys


def structure(draft: Draft) -> dict[str, Any]:
    """The engine's JSON plus each paragraph's key and notation: what a revision caches."""
    data = draft_to_json(draft)
    for key, p, out in zip(
        paragraph_keys(draft), draft.paragraphs, data["paragraphs"], strict=True
    ):
        out["key"] = key
        out["notation"] = render_paragraph_notation(p)
        out["line"] = p.line
        out["unknown"] = sorted(
            {pos.delegation for pos in _positions_of(p) if not getattr(pos, "known", True)}
        )
    data["objections"] = objections(draft)
    return data


def _positions_of(p: Paragraph) -> list[Any]:
    out = list(p.positions)
    for b in p.brackets:
        out.extend(b.positions)
        for o in b.options:
            out.extend(o.positions)
    for o in p.options:
        out.extend(o.positions)
    return out


def paragraph_status(p: dict[str, Any]) -> str:
    """agreed / disputed (someone opposes) / open (brackets or notes, no opposition yet)."""
    if p["agreed"]:
        return "agreed"
    stances = [pos["stance"] for pos in p["positions"]]
    for b in p["brackets"]:
        stances += [pos["stance"] for pos in b["positions"]]
    return "disputed" if "oppose" in stances else "open"


def summary(parsed: dict[str, Any]) -> dict[str, Any]:
    paragraphs = parsed.get("paragraphs", [])
    return {
        "paragraphs": len(paragraphs),
        "agreed": sum(1 for p in paragraphs if p["agreed"]),
        "open_brackets": sum(len(p["brackets"]) for p in paragraphs),
        "objections": dict(parsed.get("objections", {})),
    }


def agreed_text_of(notation: str) -> str:
    """The adopted wording, markup removed (what goes to the library)."""
    return agreed_text(parse_text(notation))


def docx_to_notation(data: bytes) -> str:
    """A DOCX draft as notation text (the engine reads its brackets and styles)."""
    return render_notation(read_docx(data, register=forum_register()))
