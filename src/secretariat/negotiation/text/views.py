"""Readings of a draft: agreed text, full text, one delegation's text, objections."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .model import OPPOSE, SUPPORT, Bracket, Draft, Node, OptionSep, Paragraph, Position, Text
from .register import Register
from .textutil import norm, text_of

# Decides what a bracket contributes: None drops it, otherwise the nodes to keep.
_Keep = Callable[[Bracket], list[Node] | None]


def _render(nodes: list[Node], keep: _Keep, deleted: bool) -> str:
    parts: list[str] = []
    for n in nodes:
        if isinstance(n, Text):
            if n.style != "deleted" or deleted:
                parts.append(n.text)
        elif isinstance(n, Bracket):
            kept = keep(n)
            if kept is not None:
                parts.append(" " + _render(kept, keep, deleted) + " ")
        else:
            parts.append(text_of([n]))
    return "".join(parts)


def _paragraph_text(p: Paragraph, body: str) -> str:
    body = norm(body)
    if not body:
        return ""
    return f"{p.label_raw} {body}" if p.label_raw else body


def _view(draft: Draft, keep: _Keep, deleted: bool, drop: Callable[[Paragraph], bool]) -> str:
    out = []
    for p in draft.paragraphs:
        if drop(p):
            continue
        text = _paragraph_text(p, _render(p.content, keep, deleted))
        if text:
            out.append(text)
    return "\n\n".join(out) + ("\n" if out else "")


def agreed_text(draft: Draft) -> str:
    """The text everyone has accepted: bracketed words and struck words dropped."""
    return _view(draft, lambda b: None, False, lambda p: False)


def full_text(draft: Draft) -> str:
    """All words kept, markup removed."""
    return _view(draft, lambda b: b.children, True, lambda p: False)


def _stance(positions: list[Position], code: str) -> str | None:
    stance = None
    for pos in positions:
        if pos.delegation == code:
            stance = pos.stance
    return stance


def delegation_text(draft: Draft, code: str, register: Register | None = None) -> str:
    """What ``code`` would sign: brackets it supports kept, those it opposes dropped.

    Brackets it has not taken a position on are kept (it has not objected); of alternatives,
    the one it supports is kept. ``code`` may be an alias (``IRN`` for ``IRAN``).
    """
    code = (register or Register.default()).resolve(code) or code

    def keep(b: Bracket) -> list[Node] | None:
        if b.options:
            chosen = [o for o in b.options if _stance(o.positions, code) == SUPPORT]
            if chosen:
                return [Text(chosen[0].text)]
            if all(_stance(o.positions, code) == OPPOSE for o in b.options):
                return None
            return [n for n in b.children if not isinstance(n, OptionSep)]
        if _stance(b.positions, code) == OPPOSE:
            return None
        return b.children

    def drop(p: Paragraph) -> bool:
        return _stance(p.positions, code) == OPPOSE

    return _view(draft, keep, False, drop)


def objections(draft: Draft) -> dict[str, int]:
    """Number of opposing positions per delegation code in the whole draft."""
    counts: Counter[str] = Counter(
        p.delegation for p in draft.all_positions() if p.stance == OPPOSE
    )
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
