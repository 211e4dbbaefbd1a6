"""Negotiation text engine: read, write and compare drafts in diplomatic bracket notation.

Pure Python (no Django). The web workspace, the CLI and the tests all use this API:

    parse(text, *, register=None, dialect=None) -> Draft          never raises
    read_docx(data_or_path, *, register=None) -> Draft
    write_docx(draft) -> bytes
    render_notation(draft) -> str;  render_paragraph_notation(paragraph) -> str
    render_html(draft) -> str       HTML fragment, CSS classes prefixed ``nt-``
    heading_levels(draft) -> list[Level]   title lines and headings, not negotiable text
    agreed_text(draft) / full_text(draft) / delegation_text(draft, code) -> str
    objections(draft) -> dict[str, int]   opposing positions per delegation code
    compare(old, new) -> Comparison (``.to_json()``);  render_compare_html(cmp) -> str
    draft_to_json(draft) -> dict    the shape printed by ``secretariat text parse --json``
    Register.load(path) / Register.default() / Register.from_mapping({alias: code})

``Draft``, ``Paragraph``, ``Bracket``, ``Position``, ``Note`` and ``Option`` are plain
dataclasses: ``paragraph.label``, ``.kind``, ``.alternative_of``, ``.agreed``, ``.brackets``
(flattened, each with ``.parent``), ``.positions``, ``.notes``, ``.line``; ``paragraph.content``
keeps the nodes in document order for writers.
"""

from __future__ import annotations

from .compare import Comparison, compare, render_compare_html
from .docx_io import read_docx, write_docx
from .headings import Level, heading_levels
from .model import (
    Bracket,
    Diagnostic,
    Draft,
    Note,
    Option,
    Paragraph,
    Position,
)
from .parser import parse
from .register import Register
from .render_html import render_html
from .render_notation import render_notation, render_paragraph_notation
from .serialize import draft_to_json
from .views import agreed_text, delegation_text, full_text, objections

__all__ = [
    "Bracket",
    "Comparison",
    "Diagnostic",
    "Draft",
    "Level",
    "Note",
    "Option",
    "Paragraph",
    "Position",
    "Register",
    "agreed_text",
    "compare",
    "delegation_text",
    "draft_to_json",
    "full_text",
    "heading_levels",
    "objections",
    "parse",
    "read_docx",
    "render_compare_html",
    "render_html",
    "render_notation",
    "render_paragraph_notation",
    "write_docx",
]
