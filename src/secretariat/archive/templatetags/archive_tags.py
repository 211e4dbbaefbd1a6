"""Rendering finder results: the word diff, marked up for people and screen readers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

CONTEXT = 8  # words of unchanged or surrounding text kept around the matching part


def _trim(words: str, keep: str) -> str:
    parts = words.split()
    if len(parts) <= 2 * CONTEXT:
        return words
    if keep == "end":
        return "… " + " ".join(parts[-CONTEXT:])
    if keep == "start":
        return " ".join(parts[:CONTEXT]) + " …"
    return " ".join(parts[:CONTEXT]) + " … " + " ".join(parts[-CONTEXT:])


@register.filter
def diff_html(ops: list[dict[str, Any]]) -> SafeString:
    """The found paragraph with the differences from the query: <ins> are its words the query
    lacks, <del> the query's words it lacks. Long stretches before and after are shortened."""
    out: list[str] = []
    last = len(ops) - 1
    for i, op in enumerate(ops):
        keep = "end" if i == 0 else "start" if i == last else "both"
        if op["op"] == "equal":
            out.append(escape(op["text"]))
        elif op["op"] == "insert":
            out.append(
                f'<ins title="{escape(_("not in your text"))}">'
                f"{escape(_trim(op['text'], keep))}</ins>"
            )
        elif op["op"] == "delete":
            out.append(f'<del title="{escape(_("only in your text"))}">{escape(op["query"])}</del>')
        else:
            out.append(
                f'<del title="{escape(_("only in your text"))}">'
                f"{escape(op['query'])}</del> "
                f'<ins title="{escape(_("not in your text"))}">'
                f"{escape(_trim(op['text'], keep))}</ins>"
            )
    return mark_safe(" ".join(out))


@register.filter
def percent(value: float) -> str:
    return f"{round(float(value) * 100)} %"
