"""Write a draft back in bracket notation (the inverse of :func:`parse`)."""

from __future__ import annotations

from collections.abc import Callable

from .model import (
    Attribution,
    Bracket,
    Draft,
    Marker,
    Node,
    Note,
    OptionLabel,
    OptionSep,
    Paragraph,
    Placeholder,
    Position,
    StatusTag,
    Stray,
    Text,
)


def render_position(p: Position) -> str:
    if p.raw is not None:
        return p.lead + p.raw
    sign = "+" if p.stance == "support" else "-"
    qual = f" {p.qualifier}" if p.qualifier else ""
    return f"{p.lead}({sign}{p.delegation}{qual})"


def render_note(n: Note) -> str:
    if n.raw is not None:
        return n.raw
    codes = ", ".join(n.delegations)
    return f"({codes}: {n.text})" if n.text else f"({codes})"


def _plain_style(n: Text) -> str:
    if n.style == "new":
        return f"*{n.text}*"
    if n.style == "deleted":
        return f"~~{n.text}~~"
    return n.text


TextFormat = Callable[[Text], str]


def _nodes(
    nodes: list[Node], out: list[str], label: str = "", fmt: TextFormat = _plain_style
) -> None:
    for n in nodes:
        if isinstance(n, Text):
            out.append(fmt(n))
        elif isinstance(n, Bracket):
            if n.opens:
                out.append("[")
            if label and n.label_inside:
                out.append(label + " ")
                label = ""
            _nodes(n.children, out, "", fmt)
            if n.closes:
                out.append("]")
                out.extend(render_position(p) for p in n.positions if p.raw != "")
        elif isinstance(n, Marker):
            if n.position.raw != "":
                out.append(render_position(n.position))
        elif isinstance(n, Note):
            out.append(render_note(n))
        elif isinstance(n, Attribution | OptionLabel | OptionSep | Placeholder | StatusTag | Stray):
            out.append(n.raw)


def render_paragraph_notation(paragraph: Paragraph, fmt: TextFormat = _plain_style) -> str:
    out: list[str] = []
    label = paragraph.label_raw or (paragraph.label or "")
    inside = bool(
        paragraph.content
        and isinstance(paragraph.content[0], Bracket)
        and paragraph.content[0].label_inside
    )
    if label and not inside:
        out.append(label + " ")
    _nodes(paragraph.content, out, label if inside else "", fmt)
    return "".join(out).rstrip()


def render_notation(draft: Draft) -> str:
    return "\n\n".join(render_paragraph_notation(p) for p in draft.paragraphs) + "\n"
