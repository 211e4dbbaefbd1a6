"""Turning a working text plus amendments and positions into the next text, and the chair's
live edits (resolving a bracket, rewriting a paragraph). Pure functions over notation text:
they parse with the engine, change the engine's tree or splice the paragraph's notation, and
render notation back, so every result is again something the engine reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from secretariat.negotiation import engine
from secretariat.negotiation.engine import Bracket, Marker, Node, Text
from secretariat.negotiation.engine import Position as EnginePosition

CONTEXT = 24  # characters kept on each side of a span to find it again in a changed text


class CompileError(ValueError):
    """The change cannot be applied to the text as it now is (the message says why)."""


@dataclass
class PositionSpec:
    target_kind: str  # paragraph | bracket | amendment
    target_key: str
    paragraph_key: str
    code: str
    stance: str
    qualifier: str = ""


@dataclass
class AmendmentSpec:
    id: int
    paragraph_key: str
    kind: str
    start: int
    end: int
    base_text: str
    text: str
    code: str
    new_label: str = ""
    positions: list[PositionSpec] = field(default_factory=list)


@dataclass
class CompileResult:
    notation: str
    applied: list[int]
    skipped: dict[int, str]  # amendment id -> why it could not be placed


def position_marker(code: str, stance: str, qualifier: str = "") -> str:
    sign = "+" if stance == "support" else "-"
    return f"({sign}{code}{' ' + qualifier if qualifier else ''})"


def _draft_and_keys(text: str) -> tuple[engine.Draft, list[str]]:
    """A fresh draft (changed in place below, so never the shared one) and its keys."""
    draft = engine.parse_text(text)
    return draft, [p.key for p in draft.paragraphs]


def _render(draft: engine.Draft, paragraphs: list[str] | None = None) -> str:
    parts = (
        paragraphs
        if paragraphs is not None
        else [engine.render_paragraph_notation(p) for p in draft.paragraphs]
    )
    return "\n\n".join(p for p in parts if p.strip()) + "\n"


def _closing_bracket(nodes: list[Node], bracket_id: str) -> Bracket | None:
    for n in nodes:
        if isinstance(n, Bracket):
            if n.id == bracket_id and n.closes:
                return n
            found = _closing_bracket(n.children, bracket_id)
            if found is not None:
                return found
    return None


def _replace_stance(positions: list[EnginePosition], spec: PositionSpec) -> None:
    for existing in list(positions):
        if existing.delegation == spec.code and existing.raw != "":
            positions.remove(existing)
    positions.append(EnginePosition(spec.code, spec.stance, spec.qualifier or None))


def apply_positions(text: str, specs: Iterable[PositionSpec]) -> str:
    """Write delegations' current stances on paragraphs and brackets into the text; a
    delegation's earlier marker on the same target is replaced, not repeated."""
    specs = [s for s in specs if s.target_kind in ("paragraph", "bracket")]
    if not specs:
        return text
    draft, keys = _draft_and_keys(text)
    by_key = dict(zip(keys, draft.paragraphs, strict=True))
    for spec in specs:
        para = by_key.get(spec.paragraph_key)
        if para is None:
            continue
        if spec.target_kind == "paragraph":
            for n in list(para.content):
                if (
                    isinstance(n, Marker)
                    and n.position.delegation == spec.code
                    and (n.position.raw != "")
                ):
                    para.content.remove(n)
            para.content.append(
                Marker(EnginePosition(spec.code, spec.stance, spec.qualifier or None))
            )
        else:
            target = None
            for p in draft.paragraphs:
                target = _closing_bracket(p.content, spec.target_key)
                if target is not None:
                    break
            if target is not None:
                _replace_stance(target.positions, spec)
    return _render(draft)


def locate(spec: AmendmentSpec, current: str) -> tuple[int, int] | None:
    """Where the amendment's span is in the paragraph as it is now, or None if ambiguous."""
    if current == spec.base_text:
        return spec.start, spec.end
    original = spec.base_text[spec.start : spec.end]
    before = spec.base_text[max(0, spec.start - CONTEXT) : spec.start]
    after = spec.base_text[spec.end : spec.end + CONTEXT]
    for pattern in (before + original + after, before + original, original + after):
        if not pattern:
            continue
        hits = [m.start() for m in re.finditer(re.escape(pattern), current)]
        if len(hits) == 1:
            offset = hits[0] + (len(before) if pattern.startswith(before) and before else 0)
            return offset, offset + len(original)
    if original:
        hits = [m.start() for m in re.finditer(re.escape(original), current)]
        if len(hits) == 1:
            return hits[0], hits[0] + len(original)
    return None


def _markers(spec: AmendmentSpec) -> str:
    out = [position_marker(spec.code, "support")]
    out += [
        position_marker(p.code, p.stance, p.qualifier)
        for p in spec.positions
        if p.code != spec.code
    ]
    return " ".join(out)


def _splice(current: str, spec: AmendmentSpec, start: int, end: int) -> str:
    words = " ".join(spec.text.split())
    original = current[start:end].strip()
    if spec.kind == "insert":
        inner = words
    elif spec.kind == "delete":
        inner = f"~~{original}~~"
    else:  # replace
        inner = f"~~{original}~~ {words}"
    piece = f"[{inner}] {_markers(spec)}"
    left, right = current[:start], current[end:]
    if left and not left[-1].isspace():
        piece = " " + piece
    if right and not right[0].isspace() and right[0] not in ",;.:)":
        piece += " "
    if spec.kind != "insert":
        left, right = left.rstrip(" ") + (" " if left.strip() else ""), right.lstrip(" ")
        if right and right[0] not in ",;.:)":
            piece = piece.rstrip() + " "
        piece = piece.lstrip()
    return left + piece + right


def new_paragraph_notation(spec: AmendmentSpec, label_of_target: str | None) -> str:
    words = " ".join(spec.text.split())
    label = spec.new_label.strip()
    if spec.kind == "alternative" and not label and label_of_target:
        label = f"{label_of_target} altern."
    head = f"{label} " if label else ""
    return f"[{head}{words}] {_markers(spec)}"


def compile_text(
    text: str, positions: Iterable[PositionSpec], amendments: Iterable[AmendmentSpec]
) -> CompileResult:
    """The next revision's text: positions written in, amendments bracketed with who
    proposed them (+CODE) and who supports or opposes them."""
    text = apply_positions(text, positions)
    draft, keys = _draft_and_keys(text)
    paragraphs = [engine.render_paragraph_notation(p) for p in draft.paragraphs]
    index = {k: i for i, k in enumerate(keys)}
    applied: list[int] = []
    skipped: dict[int, str] = {}
    after: dict[int, list[str]] = {}
    in_place: dict[int, list[tuple[int, int, AmendmentSpec]]] = {}
    for spec in amendments:
        i = index.get(spec.paragraph_key)
        if i is None:
            skipped[spec.id] = "paragraph no longer in the text"
            continue
        if spec.kind in ("new_paragraph", "alternative"):
            after.setdefault(i, []).append(new_paragraph_notation(spec, draft.paragraphs[i].label))
            applied.append(spec.id)
            continue
        where = locate(spec, paragraphs[i])
        if where is None:
            skipped[spec.id] = "the words it changes are no longer in the paragraph"
            continue
        in_place.setdefault(i, []).append((where[0], where[1], spec))
    for i, items in in_place.items():
        items.sort(key=lambda t: (t[0], t[1]), reverse=True)
        limit = len(paragraphs[i]) + 1
        for start, end, spec in items:
            if end > limit or (end == limit and start < end):
                skipped[spec.id] = "overlaps another amendment of the same paragraph"
                continue
            paragraphs[i] = _splice(paragraphs[i], spec, start, end)
            applied.append(spec.id)
            limit = start
    out: list[str] = []
    for i, para in enumerate(paragraphs):
        out.append(para)
        out.extend(after.get(i, []))
    return CompileResult(_render(draft, out), sorted(applied), skipped)


def _resolved(children: list[Node], keep: bool) -> list[Node]:
    """Accepting a bracket keeps its words and drops struck ones; dropping it keeps only the
    words it proposed to strike."""
    out: list[Node] = []
    for n in children:
        if isinstance(n, Text):
            if n.style == "deleted":
                if not keep:
                    out.append(Text(n.text))
            elif keep:
                out.append(Text(n.text) if n.style == "new" else n)
        elif keep:
            out.append(n)
    return out


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,;.:])", r"\1", text)
    return text.strip()


def resolve_bracket(text: str, bracket_id: str, *, keep: bool) -> tuple[str, str]:
    """Remove a bracket (and the positions on it), keeping or dropping its words.
    Returns (new text, key of the paragraph changed)."""
    draft, keys = _draft_and_keys(text)
    for key, para in zip(keys, draft.paragraphs, strict=True):
        if not any(b.id == bracket_id for b in para.brackets):
            continue
        if not _replace_node(para.content, bracket_id, keep):
            raise CompileError("this bracket spans several paragraphs; edit them instead")
        notation = _tidy(engine.render_paragraph_notation(para))
        parts = [engine.render_paragraph_notation(p) for p in draft.paragraphs]
        parts[keys.index(key)] = notation
        return _render(draft, parts), key
    raise CompileError("no such bracket in the current text")


def _replace_node(nodes: list[Node], bracket_id: str, keep: bool) -> bool:
    for i, n in enumerate(nodes):
        if isinstance(n, Bracket):
            if n.id == bracket_id:
                if not (n.opens and n.closes):
                    return False
                nodes[i : i + 1] = _resolved(n.children, keep)
                return True
            if _replace_node(n.children, bracket_id, keep):
                return True
    return False


def replace_paragraph(text: str, key: str, notation: str) -> str:
    """The text with paragraph ``key`` rewritten (an empty notation removes it)."""
    draft, keys = _draft_and_keys(text)
    if key not in keys:
        raise CompileError("no such paragraph in the current text")
    parts = [engine.render_paragraph_notation(p) for p in draft.paragraphs]
    parts[keys.index(key)] = "\n".join(
        line for line in notation.replace("\r\n", "\n").strip().split("\n") if line.strip()
    )
    return _render(draft, parts)


def paragraph_notation(text: str, key: str) -> str | None:
    draft, keys = _draft_and_keys(text)
    if key not in keys:
        return None
    return engine.render_paragraph_notation(draft.paragraphs[keys.index(key)])
