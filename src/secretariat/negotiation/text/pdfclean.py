"""Undo what PDF text extraction does to a draft: running headers, page numbers, hyphenation.

Lines are never renumbered: every kept line carries its original line number and column, so
diagnostics keep pointing at the source file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass


@dataclass(slots=True)
class Line:
    no: int  # 1-based line number in the source
    col: int  # 0-based column of ``text`` in the source line
    text: str
    glue: bool = False  # True: joins the next line without a space (a word cut at a hyphen)


_PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_HYPHEN_END = re.compile(r"[a-z]-$")
_LOWER_START = re.compile(r"^[a-z]")


def source_lines(text: str) -> list[Line]:
    """The text as lines, untouched apart from stripping (for drafts that are not PDF output)."""
    out = []
    for no, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip()
        out.append(Line(no, len(raw) - len(stripped), stripped.rstrip()))
    return out


def _header_shapes(lines: list[Line], shapes: list[str]) -> set[str]:
    # A running header repeats on most pages; digits vary (page numbers), so compare shapes.
    counts = Counter(
        shape for ln, shape in zip(lines, shapes, strict=True) if ln.text and len(ln.text) <= 80
    )
    return {
        shape
        for shape, n in counts.items()
        if n >= 3
        and not any(c in shape for c in "[]{}")
        and not shape.endswith((",", ";", ":", "."))
        and not shape.startswith(("Option", "Alt", "#. ", "[#. "))  # options, numbered paragraphs
        and " Option " not in shape  # ``#. Option 2: No text`` recurs in every article
    }


def clean_lines(text: str) -> list[Line]:
    """Drop running headers and page numbers and mark hyphenated line ends for rejoining."""
    lines = source_lines(text)
    shapes = [_DIGITS.sub("#", ln.text) for ln in lines]  # once per line, used twice
    headers = _header_shapes(lines, shapes)
    furniture = {
        i
        for i, ln in enumerate(lines)
        if ln.text and (_PAGE_NO.match(ln.text) or shapes[i] in headers)
    }
    near = {j for i in furniture for j in range(i - 3, i + 4)}
    # Blank lines around a page break are layout, not paragraph breaks.
    kept = [ln for i, ln in enumerate(lines) if i not in furniture and (ln.text or i not in near)]
    for i, ln in enumerate(kept[:-1]):
        nxt = kept[i + 1]
        # ``endswith`` first: the regex search would scan every line from its start.
        if ln.text.endswith("-") and _HYPHEN_END.search(ln.text) and _LOWER_START.match(nxt.text):
            # UN texts break lines at real hyphens (``long-`` / ``term``): keep the hyphen.
            ln.glue = True
    return kept
