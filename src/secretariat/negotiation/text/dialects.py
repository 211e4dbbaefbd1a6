"""Bracket-notation dialects: CICA-style ``(+CODE)`` markers and UN-style drafts.

The dialect is guessed from the text; callers may force one (``--dialect``).
"""

from __future__ import annotations

import re

from .model import OPPOSE, SUPPORT, Position
from .register import Register

CICA = "cica"
UN = "un"
DIALECTS = (CICA, UN)

_CICA_SIGNS = re.compile(r"\(\s*[+-]\s*[A-Z]")
_UN_SIGNS = [
    re.compile(r"Option\s+(?:\d+|\([a-z]\)|[IVX]+)\s*:"),
    re.compile(r"\[\s*Agreed ad ref\s*\]"),
    re.compile(r"^[ \t]*\d+ of \d+[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t]*Pp\d+\s", re.MULTILINE),
    re.compile(r"\d\s?\.?\s?(?:bis|ter|quater)\b"),
    re.compile(r"-\s?[A-Z]\w*(?:[ ,;]+[A-Z]\w*)*(?:\s+(?:delete|retain))?\.?\]"),
    re.compile(r"\{Placeholder"),
]


def detect(text: str) -> str:
    """CICA unless UN conventions clearly outnumber ``(+CODE)`` markers."""
    cica = len(_CICA_SIGNS.findall(text))
    un = sum(len(rx.findall(text)) for rx in _UN_SIGNS)
    return UN if un > cica else CICA


# Negotiating groups and frequent parties in UN drafts: spellings as written are the codes.
UN_GROUPS = [
    "G77", "G77/China", "EU", "JUSCANZ", "AOSIS", "LDCs", "LDC", "LMDC", "LMDCs", "AGN",
    "African Group", "ALBA", "BASIC", "EIG", "AILAC", "Arab Group", "SIDS", "CfRN",
    "Umbrella Group",
    "US", "USA", "Canada", "Japan", "Australia", "New Zealand", "Norway", "Switzerland", "China",
    "India", "Brazil", "South Africa", "Saudi Arabia", "Russian Federation", "Russia", "Mexico",
    "Republic of Korea", "Turkey", "Egypt", "Philippines", "Bolivia", "Venezuela", "Iran",
    "Pakistan", "Indonesia", "Singapore", "Colombia", "Peru", "Chile", "Tuvalu", "Maldives",
]  # fmt: skip
_UN_ALIASES = {
    "USA": "US",
    "G77/China": "G77",
    "LDC": "LDCs",
    "LMDC": "LMDCs",
    "Russia": "Russian Federation",
}


def un_register() -> Register:
    reg = Register()
    for name in UN_GROUPS:
        reg.add(_UN_ALIASES.get(name, name), (name,))
    return reg


_NAME = r"[A-Z][\w'’./]+(?:\s[A-Z][\w'’.]*)*"  # two letters at least: ``[X -Y]`` is maths
_GROUP = rf"{_NAME}(?:\s*,\s*{_NAME})*(?:\s+(?:delete|retain))?"
# ``text - US; G77 delete``: a dash, then groups of names with an optional verb.
ATTRIBUTION = re.compile(rf"(?:^|\s)-\s?(?P<body>{_GROUP}(?:\s*;\s*{_GROUP})*)\.?\s*$")


def parse_attribution(body: str, register: Register, warn: list[str]) -> list[Position]:
    """``US; G77 delete`` -> US supports (proposer), G77 opposes."""
    positions: list[Position] = []
    for group in body.split(";"):
        group = group.strip().rstrip(".")
        stance = SUPPORT
        for verb, st in ((" delete", OPPOSE), (" retain", SUPPORT)):
            if group.endswith(verb):
                group, stance = group[: -len(verb)], st
        for name in group.split(","):
            name = name.strip()
            if not name:
                continue
            code = register.resolve(name)
            if code is None:
                warn.append(name)
            positions.append(
                Position(code or name, stance, None, raw="", lead="", known=code is not None)
            )
    return positions
