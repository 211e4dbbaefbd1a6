"""The one door to the text engine (``secretariat.negotiation.text``) for the Django app.

The engine is pure Python and owns the notation and the paragraph keys; this module adds what
the app needs around it: the forum's register of codes, the typed draft of a revision (parsed
once per process), and the figures the pages show.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from secretariat.core.contentlang import language_of
from secretariat.negotiation.text import (
    Comparison,
    Level,
    Register,
    agreed_text,
    compare,
    draft_to_json,
    heading_levels,
    objections,
    parse,
    read_docx,
    render_compare_html,
    render_notation,
    render_paragraph_notation,
    write_docx,
)
from secretariat.negotiation.text.align import (
    Alignment,
    Pair,
    ParityIssue,
    align,
    align_texts,
    bracket_parity,
    word_diff,
)
from secretariat.negotiation.text.compare import ParagraphChange
from secretariat.negotiation.text.compare import render_diff_html as _text_render_diff_html
from secretariat.negotiation.text.model import (
    OPPOSE,
    SUPPORT,
    Bracket,
    Diagnostic,
    Draft,
    Marker,
    Node,
    Paragraph,
    Position,
    Text,
    UnknownParagraph,
)
from secretariat.negotiation.text.render_html import Labels, render_heading_html
from secretariat.negotiation.text.render_html import render_html as _text_render_html
from secretariat.negotiation.text.render_html import (
    render_paragraph_html as _text_render_paragraph_html,
)
from secretariat.negotiation.text.textutil import show_bidi

if TYPE_CHECKING:
    from secretariat.negotiation.models import Revision

__all__ = [
    "OPPOSE",
    "SUPPORT",
    "Alignment",
    "Bracket",
    "Comparison",
    "Diagnostic",
    "Draft",
    "Labels",
    "Level",
    "Marker",
    "Node",
    "Pair",
    "Paragraph",
    "ParagraphChange",
    "ParagraphStatus",
    "ParityIssue",
    "Position",
    "Register",
    "Summary",
    "Text",
    "UnknownParagraph",
    "agreed_text",
    "align",
    "align_texts",
    "bracket_parity",
    "compare",
    "draft_of",
    "draft_to_json",
    "forum_register",
    "heading_levels",
    "negotiable",
    "objections",
    "paragraph_status",
    "parse",
    "parse_text",
    "read_docx",
    "render_compare_html",
    "render_diff_html",
    "render_heading_html",
    "render_html",
    "render_notation",
    "render_paragraph_html",
    "render_paragraph_notation",
    "show_bidi",
    "structure",
    "summary",
    "unknown_codes",
    "word_diff",
    "write_docx",
]


def html_labels(names: Mapping[str, str] | None = None, language: str = "") -> Labels:
    """The screen-reader words of the rendered text in the active language. `names`: the
    delegations' names in the reader's language (`delegation_names()`); `language`: the
    language the text is written in (a language edition's), so the parts written in another
    language (a label, a qualifier, a note) are marked with their own."""
    return Labels(
        supported_by=_("Supported by {name}"),
        opposed_by=_("Opposed by {name}"),
        bracketed_text=_("Bracketed text"),
        note_by=_("Note by {who}"),
        unmatched_bracket=_("unmatched bracket"),
        names=names or {},
        language=language,
        language_of=language_of if language else None,
    )


def delegation_names() -> dict[str, str]:
    """Each delegation's and group's code -> its name in the active language (the chips' and
    notes' labels; one query each)."""
    from secretariat.accounts.models import Delegation, MemberGroup

    names: dict[str, str] = {}
    for model in (MemberGroup, Delegation):
        for row in model.objects.order_by().only("code", "name_en", "name_ru", "name_kk"):
            names[row.code] = row.name
    return names


def render_html(draft: Draft, register: Register | None = None) -> str:
    """The draft's HTML fragment, its labels in the active language."""
    return _text_render_html(draft, register, html_labels())


def render_paragraph_html(
    p: Paragraph, register: Register | None = None, labels: Labels | None = None
) -> str:
    """One paragraph's HTML, its labels in the active language (or `labels`)."""
    return _text_render_paragraph_html(p, register, labels or html_labels())


def render_diff_html(diff: list[Any], register: Register | None = None) -> str:
    """A word diff (compare page), its chips' labels in the active language."""
    return _text_render_diff_html(diff, register, html_labels())


def forum_register() -> Register:
    """The forum's codes and aliases (from the accounts register), over the engine's default."""
    from secretariat.accounts.register import code_mapping

    mapping = code_mapping()
    if not mapping:
        return Register.default()
    return Register.from_mapping(mapping).merged(Register.default())


def parse_text(text: str, register: Register | None = None) -> Draft:
    """A fresh draft of `text`, the caller's to change (compiling edits the tree)."""
    return parse(text, register=register if register is not None else forum_register())


# Drafts of stored revisions, shared by every request of the process and never changed by
# a reader. The key is the notation with the register it was read with, so a working text
# edited in another process, or a code mapped since, gives a new entry.
CACHE_SIZE = 32
_drafts: OrderedDict[tuple[str, int], Draft] = OrderedDict()
_drafts_lock = threading.Lock()


def _register_token(register: Register) -> int:
    return hash(frozenset(register.aliases.items()))


def draft_of(revision: Revision, register: Register | None = None) -> Draft:
    """The typed draft of a revision's notation, parsed once per process. Read only."""
    register = register if register is not None else forum_register()
    key = (revision.notation, _register_token(register))
    with _drafts_lock:
        draft = _drafts.get(key)
        if draft is not None:
            _drafts.move_to_end(key)
            return draft
    draft = parse(revision.notation, register=register)
    with _drafts_lock:
        _drafts[key] = draft
        while len(_drafts) > CACHE_SIZE:
            _drafts.popitem(last=False)
    return draft


def unknown_codes(p: Paragraph) -> list[str]:
    """Codes in the paragraph's positions that the register does not know."""
    return sorted({pos.delegation for pos in _positions_of(p) if not pos.known})


def _positions_of(p: Paragraph) -> list[Position]:
    out = list(p.positions)
    for b in p.brackets:
        out.extend(b.positions)
        for o in b.options:
            out.extend(o.positions)
    for o in p.options:
        out.extend(o.positions)
    return out


class ParagraphStatus(StrEnum):
    AGREED = "agreed"
    OPEN = "open"  # brackets or notes, nobody opposes yet
    DISPUTED = "disputed"  # someone opposes


def paragraph_status(p: Paragraph) -> ParagraphStatus:
    if p.agreed:
        return ParagraphStatus.AGREED
    stances = [pos.stance for pos in p.positions]
    for b in p.brackets:
        stances += [pos.stance for pos in b.positions]
    return ParagraphStatus.DISPUTED if OPPOSE in stances else ParagraphStatus.OPEN


@dataclass(frozen=True, slots=True)
class Summary:
    paragraphs: int
    agreed: int
    open_brackets: int
    objections: dict[str, int] = field(default_factory=dict)

    @property
    def open_paragraphs(self) -> int:
        return self.paragraphs - self.agreed

    def as_json(self) -> dict[str, Any]:
        """For audit rows and the command's JSON output."""
        return {
            "paragraphs": self.paragraphs,
            "agreed": self.agreed,
            "open_brackets": self.open_brackets,
            "objections": dict(self.objections),
        }


def negotiable(draft: Draft) -> list[Paragraph]:
    """The paragraphs of text: titles and headings left out (nobody negotiates them)."""
    return [
        p for p, level in zip(draft.paragraphs, heading_levels(draft), strict=True) if not level
    ]


def summary(draft: Draft) -> Summary:
    text = negotiable(draft)
    return Summary(
        paragraphs=len(text),
        agreed=sum(1 for p in text if p.agreed),
        open_brackets=sum(len(p.brackets) for p in draft.paragraphs),
        objections=objections(draft),
    )


def structure(draft: Draft) -> dict[str, Any]:
    """The engine's JSON plus each paragraph's key, notation and unknown codes: the record a
    revision keeps beside its notation (the app itself reads the typed draft)."""
    data = draft_to_json(draft)
    for p, out in zip(draft.paragraphs, data["paragraphs"], strict=True):
        out["key"] = p.key
        out["notation"] = render_paragraph_notation(p)
        out["line"] = p.line
        out["unknown"] = unknown_codes(p)
    data["objections"] = objections(draft)
    return data


def agreed_text_of(notation: str) -> str:
    """The adopted wording, markup removed (what goes to the library)."""
    return agreed_text(parse_text(notation))


def docx_to_notation(data: bytes) -> str:
    """A DOCX draft as notation text (the engine reads its brackets and styles)."""
    return render_notation(read_docx(data, register=forum_register()))
