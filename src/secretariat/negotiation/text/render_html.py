"""Accessible HTML fragment of a draft: brackets visible, delegations as labelled chips."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape as _escape

from .headings import Level, heading_levels
from .model import (
    HEADING,
    SUPPORT,
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
from .register import Register
from .textutil import show_bidi

_BOLD = re.compile(r"\*\*")


def escape(s: str) -> str:
    """HTML-escaped text with bidi controls shown as `<U+202E>` tokens, never applied."""
    return _escape(show_bidi(s))


@dataclass(frozen=True)
class Labels:
    """The words screen readers hear, with `{name}` / `{who}` in them. This package imports no
    Django: the caller passes them in the reader's language (`engine.html_labels()`).

    `names`: delegations' and groups' names in the reader's language (code -> name); a code
    not in it is named as the register names it (in English). `language` and `language_of`:
    the language the text is written in (a language edition's) and a judge of a snippet's
    language; with both, a paragraph label, a qualifier or a note written in another
    language (an English "altern." or "with reservation" left in a Russian edition) is
    marked with its own `lang`, so a page in the edition's language reads it right."""

    supported_by: str = "Supported by {name}"
    opposed_by: str = "Opposed by {name}"
    bracketed_text: str = "Bracketed text"
    note_by: str = "Note by {who}"
    unmatched_bracket: str = "unmatched bracket"
    names: Mapping[str, str] = field(default_factory=dict)
    language: str = ""
    language_of: Callable[[str], str] | None = None

    def name(self, code: str, register: Register) -> str:
        return self.names.get(code) or register.name(code)

    def lang_attr(self, text: str) -> str:
        """` lang="xx"` when `text` is written in another language than the text around it."""
        if not (self.language and self.language_of and text.strip()):
            return ""
        own = self.language_of(text)
        return "" if own == self.language else f' lang="{escape(own)}"'


ENGLISH = Labels()


def chip_html(p: Position, register: Register, labels: Labels = ENGLISH) -> str:
    """A delegation's position as the workspace shows it: ``+CHN`` with its full label."""
    return _chip(p, register, labels)


def _chip(p: Position, register: Register, labels: Labels = ENGLISH) -> str:
    name = labels.name(p.delegation, register)
    verb = labels.supported_by if p.stance == SUPPORT else labels.opposed_by
    # A qualifier in another language than the text's is not put in the label (which cannot
    # mark a part with its language): it is read from the chip, marked with its own.
    qual_lang = labels.lang_attr(p.qualifier) if p.qualifier else ""
    label = verb.replace("{name}", name)
    if p.qualifier and not qual_lang:
        label += f" ({p.qualifier})"
    sign = "+" if p.stance == SUPPORT else "−"
    cls = "nt-support" if p.stance == SUPPORT else "nt-oppose"
    unknown = "" if p.known else " nt-unknown"
    qual = (
        f' <span class="nt-qualifier"{qual_lang}>{escape(p.qualifier)}</span>'
        if p.qualifier
        else ""
    )
    return (
        f'<span class="nt-chip {cls}{unknown}" role="note" aria-label="{escape(label)}">'
        f"{sign}{escape(p.delegation)}{qual}</span>"
    )


def _nodes(nodes: list[Node], reg: Register, out: list[str], labels: Labels = ENGLISH) -> None:
    for n in nodes:
        if isinstance(n, Text):
            if n.style == "new":
                out.append(f'<ins class="nt-new">{escape(n.text)}</ins>')
            elif n.style == "deleted":
                out.append(f'<del class="nt-deleted">{escape(n.text)}</del>')
            else:
                out.append(escape(n.text))
        elif isinstance(n, Bracket):
            cls = "nt-bracket" + (" nt-placeholder" if n.placeholder else "")
            out.append(
                f'<span class="{cls}" data-bracket="{escape(n.id)}" role="group" '
                f'aria-label="{escape(labels.bracketed_text)}">'
            )
            if n.opens:
                out.append('<span class="nt-sign" aria-hidden="true">[</span>')
            _nodes(n.children, reg, out, labels)
            if n.closes:
                out.append('<span class="nt-sign" aria-hidden="true">]</span>')
            out.append("</span>")
            if n.closes:
                out.extend(
                    " " + _chip(p, reg, labels) for p in n.positions if not _attributed(n, p)
                )
        elif isinstance(n, Marker):
            out.append(" " + _chip(n.position, reg, labels))
        elif isinstance(n, Note):
            who = ", ".join(labels.name(c, reg) for c in n.delegations)
            text_lang = labels.lang_attr(n.text) if n.text else ""
            text = f"<span{text_lang}>{escape(n.text)}</span>" if text_lang else escape(n.text)
            out.append(
                f'<span class="nt-note" role="note" '
                f'aria-label="{escape(labels.note_by.replace("{who}", who))}">'
                f"({escape(', '.join(n.delegations))}{': ' if n.text else ''}"
                f"{text})</span>"
            )
        elif isinstance(n, Attribution):
            out.append(" " + " ".join(_chip(p, reg, labels) for p in n.positions))
        elif isinstance(n, OptionSep):
            out.append('<span class="nt-option-sep"> / </span>')
        elif isinstance(n, OptionLabel):
            out.append(f'<span class="nt-option-label">{escape(n.raw)}</span>')
        elif isinstance(n, Placeholder):
            out.append(f'<span class="nt-placeholder">{escape(n.raw)}</span>')
        elif isinstance(n, StatusTag):
            out.append(f'<span class="nt-status">{escape(n.raw)}</span>')
        elif isinstance(n, Stray):
            out.append(
                f'<span class="nt-stray" title="{escape(labels.unmatched_bracket)}">]</span>'
            )


def _attributed(b: Bracket, p: Position) -> bool:
    return any(isinstance(n, Attribution) and p in n.positions for n in b.children)


def render_paragraph_html(
    p: Paragraph, register: Register | None = None, labels: Labels = ENGLISH
) -> str:
    reg = register or Register.default()
    out: list[str] = []
    _nodes(p.content, reg, out, labels)
    body = "".join(out).strip()
    if p.kind == HEADING:
        return (
            f'<h3 class="nt-heading">{escape(p.label_raw + " ") if p.label_raw else ""}{body}</h3>'
        )
    classes = f"nt-para nt-{p.kind.replace('_', '-')}"
    classes += " nt-agreed" if p.agreed else " nt-open"
    attrs = f' data-label="{escape(p.label)}"' if p.label else ""
    if p.alternative_of:
        attrs += f' data-alternative-of="{escape(p.alternative_of)}"'
    label = (
        f'<span class="nt-label"{labels.lang_attr(p.label_raw)}>{escape(p.label_raw)}</span> '
        if p.label_raw
        else ""
    )
    return f'<p class="{classes}"{attrs}>{label}{body}</p>'


def render_heading_html(p: Paragraph, level: Level) -> str:
    """A title line as ``<h2 class="nt-title">``, a section heading as ``<h3 class="nt-heading">``:
    its words only (bold stars dropped), no label sign, no status."""
    words = _BOLD.sub("", p.text).strip()
    label = escape(p.label_raw) + " " if p.label_raw else ""
    tag, cls = ("h2", "nt-title") if level is Level.TITLE else ("h3", "nt-heading")
    return f'<{tag} class="{cls}">{label}{escape(words)}</{tag}>'


def render_html(draft: Draft, register: Register | None = None, labels: Labels = ENGLISH) -> str:
    """An HTML fragment (no ``<html>``); classes are prefixed ``nt-``."""
    reg = register or Register.default()
    parts = [
        render_heading_html(p, level) if level else render_paragraph_html(p, reg, labels)
        for p, level in zip(draft.paragraphs, heading_levels(draft), strict=True)
    ]
    return '<div class="nt-draft">\n' + "\n".join(parts) + "\n</div>\n"
