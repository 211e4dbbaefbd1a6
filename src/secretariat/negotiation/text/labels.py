"""Paragraph labels: ``PP4.``, ``PP5e altern.``, ``13.``, ``2 bis.``, ``(1)``, ``- e)``, ``Pp1``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import ITEM, OPERATIVE, PREAMBULAR

_LATIN = r"(?:bis|ter|quater|quinquies|sexies|septies|octies|novies|decies)"

LABEL = re.compile(
    rf"""
    (?P<open>\[\s*)?                                   # ``[PP5e. ...]``: label inside a bracket
    (?:
      (?P<pp>(?P<ppcode>PP|OP|Pp|Op)\s?\d+(?:\s?{_LATIN})?[a-z]?)
        (?P<ppalt>\s+(?:altern|alt|Alt)\.?\s?\d*)?(?P<ppdot>\.)?
     |(?P<altnum>(?P<altbase>\d+)\s?Alt\.?\s?\d*\.?)           # ``127Alt.``, ``127Alt2.``
     |(?P<art>Article\s+\d+\s?{_LATIN}?)(?P<artdot>\.)?
       (?=\s*(?:$|\(|\]\s*(?:$|\()))  # a heading: ``Article 3 of the ...`` is a wrapped line
     |(?P<num>\d+(?:\s?\.?\s?{_LATIN}\b\.?(?:\d+\b)?|(?:\.\d+)*\.))(?P<numalt>\s+Alt\.?\s?\d*)?
     |(?P<paren>\(\d{{1,3}}\)|\([a-z]{{1,4}}\))
     |(?P<bullet>-\s+)?(?P<letter>[a-z]\))
    )
    (?=\s|$)
    """,
    re.VERBOSE,
)


_SPACES = re.compile(r"\s+")


@dataclass(slots=True)
class Label:
    label: str
    raw: str  # as written, without the opening bracket
    kind: str
    alternative_of: str | None
    inside_bracket: bool
    end: int  # offset in the block where the content starts (spaces skipped)


def match_label(text: str) -> Label | None:
    m = LABEL.match(text)
    if m is None:
        return None
    start = m.end("open") if m.group("open") else 0
    raw = text[start : m.end()]
    alternative_of = None
    if m.group("pp"):
        base = _SPACES.sub("", m.group("pp"))
        code = m.group("ppcode").upper()
        kind = PREAMBULAR if code == "PP" else OPERATIVE
        if m.group("ppalt"):
            label, alternative_of = raw.strip(), base
        else:
            label = base
    elif m.group("altnum"):
        label, kind, alternative_of = raw.strip(), ITEM, m.group("altbase") + "."
    elif m.group("art"):
        label, kind = m.group("art"), ITEM
    elif m.group("num"):
        label, kind = raw.strip(), ITEM
        if m.group("numalt"):
            alternative_of = m.group("num")
    elif m.group("paren"):
        label, kind = m.group("paren"), ITEM
    else:
        label, kind = m.group("letter"), ITEM
    end = m.end()
    while end < len(text) and text[end] in " \t\n":
        end += 1
    return Label(label, raw, kind, alternative_of, bool(m.group("open")), end)
