"""Which paragraphs of a draft are titles or headings rather than negotiable text.

The parser already marks a short unlabelled line with no closing punctuation (``Pillar II:
Preventing ...``, ``**Draft CICA Plan of Action ...**``) as ``kind == HEADING``. On top of that:

* the headings that come before the first paragraph of text are the document's *title* lines
  (``PODIUM VERSION AS OF COB, 4 OCTOBER 2022``, ``DRAFT ASTANA STATEMENT ON ...``);
* a numbered section heading (``1. Background``, ``4. Proposed initiatives``) is a short line
  under a number, with no closing punctuation, no brackets and no positions, that is neither
  preceded nor followed by the next number of its own list (``1. Afghanistan`` then
  ``2. Azerbaijan`` stay a list).

A title or heading gets no status, no comments and no place in the counts: nobody negotiates
it. The parse result itself is unchanged (its JSON shape and the golden files stay as they are);
callers ask ``heading_levels(draft)``.
"""

from __future__ import annotations

import re
from enum import IntEnum

from .model import HEADING, Draft, Paragraph

_NUMBERED = re.compile(r"(\d+)\.")
_MAX_WORDS = 12
_CLOSING = (".", ";", ",", ":")


class Level(IntEnum):
    """What a paragraph is, for rendering: a title, a heading or text."""

    TEXT = 0
    TITLE = 1  # a title line of the document (before its first paragraph of text)
    HEADING = 2  # a section heading inside the text


def _number(p: Paragraph) -> int | None:
    m = _NUMBERED.fullmatch(p.label or "")
    return int(m.group(1)) if m else None


def _is_numbered_heading(paragraphs: list[Paragraph], i: int) -> bool:
    p = paragraphs[i]
    n = _number(p)
    if n is None or p.brackets or p.positions or p.notes or p.options:
        return False
    bare = p.text.strip("* ").strip()
    if not bare or not bare[0].isupper() or bare.endswith(_CLOSING):
        return False
    if len(bare.split()) > _MAX_WORDS:
        return False
    before = _number(paragraphs[i - 1]) if i > 0 else None
    after = _number(paragraphs[i + 1]) if i + 1 < len(paragraphs) else None
    # ``3.`` between ``2.`` and ``4.`` of the same run is an item of a list.
    return before != n - 1 and after != n + 1


def heading_levels(draft: Draft) -> list[Level]:
    """The level of each paragraph of ``draft``, in order (same length as its paragraphs)."""
    paragraphs = draft.paragraphs
    out: list[Level] = []
    text_seen = False
    for i, p in enumerate(paragraphs):
        if p.kind == HEADING and not p.brackets and not p.positions:
            out.append(Level.HEADING if text_seen else Level.TITLE)
            continue
        if _is_numbered_heading(paragraphs, i):
            out.append(Level.HEADING)
            text_seen = True
            continue
        out.append(Level.TEXT)
        text_seen = True
    return out


def is_heading_level(level: Level) -> bool:
    return level is not Level.TEXT
