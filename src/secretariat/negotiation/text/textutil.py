"""Plain text of a content tree and whitespace normalisation shared by the writers."""

from __future__ import annotations

import re

from .model import Bracket, Node, OptionLabel, OptionSep, Placeholder, Text

# Bidirectional controls (embeddings, overrides, isolates, marks): in negotiated text they
# would reorder what readers see without showing it, so renderers show them as tokens.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def show_bidi(s: str) -> str:
    """`s` with every bidi control replaced by a visible `<U+202E>` token (plain text: the
    caller escapes it)."""
    if not BIDI_CONTROLS.search(s):
        return s
    return BIDI_CONTROLS.sub(lambda m: f"<U+{ord(m.group()):04X}>", s)


# After whitespace runs are collapsed, a removed marker or sign leaves exactly these pairs.
_GAPS = (" ,", " .", " ;", " :", " !", " ?", " )", " ]", "( ", "[ ")
# (sign, gap): ``sign in s`` is a memchr, far cheaper than a two-character search, and most
# strings lack most signs, so the gap is only looked for where it can be.
_GAP_SIGNS = tuple((gap.strip(), gap) for gap in _GAPS)


def norm(s: str) -> str:
    """Collapse whitespace and drop the spaces left where markers or brackets were removed."""
    s = " ".join(s.split())
    for sign, gap in _GAP_SIGNS:
        if sign in s and gap in s:
            s = s.replace(gap, sign)
    return s


def text_of(nodes: list[Node]) -> str:
    """Words of the nodes, nested brackets included; markers, notes and signs removed."""
    parts: list[str] = []
    for n in nodes:
        if isinstance(n, Text):
            parts.append(n.text)
        elif isinstance(n, Bracket):
            parts.append(" " + text_of(n.children) + " ")
        elif isinstance(n, OptionSep):
            parts.append(" / ")
        elif isinstance(n, OptionLabel | Placeholder):
            parts.append(" " + n.raw + " ")
        else:
            parts.append(" ")
    return "".join(parts)
