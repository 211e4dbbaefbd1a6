"""The order of precedence for a list of participants (pure: no database access).

Two protocol settings (`models.Precedence`):
- `lot`: one order for every language (UN style): the members in English alphabetical order,
  starting from the member drawn by lot and wrapping round;
- `alphabet`: each language's list in its own alphabet, by the delegations' names in that
  language (English order for the English list, Russian for the Russian).
The Chairmanship comes first, then the host country, then the members, then observers; the
secretariat's own staff last. Within a delegation: the head first, then by rank.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Russian alphabetical order: Python's code-point order puts Ё after Я; the alphabet has it
# after Е.
_RU_ORDER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_RU_KEY = {ch: i for i, ch in enumerate(_RU_ORDER)}


@dataclass(frozen=True)
class Party:
    """A delegation as the list needs it."""

    code: str
    name_en: str
    name_ru: str
    kind: str  # "member" | "chairmanship" | "observer"
    name_kk: str = ""


def name_in(party: Party, language: str) -> str:
    if language.startswith("kk") and party.name_kk:
        return party.name_kk
    if language.startswith("ru") and party.name_ru:
        return party.name_ru
    return party.name_en


def collation_key(text: str, language: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key that follows the language's alphabet (letters of other scripts after it)."""
    key: list[tuple[int, int | str]] = []
    for ch in text.casefold():
        if language.startswith("ru") and ch in _RU_KEY:
            key.append((1, _RU_KEY[ch]))
        elif ch.isalpha():
            base = unicodedata.normalize("NFD", ch)[0]
            # Latin letters sort before Cyrillic in an English list, after it in a Russian one.
            key.append((2 if language.startswith("ru") else 1, base))
        elif ch.isdigit():
            key.append((0, ch))
        # spaces and punctuation do not decide the order ("Viet Nam" = "VietNam")
    return tuple(key)


def order_parties(
    parties: Sequence[Party],
    *,
    language: str,
    style: str,
    lot_start: str | None = None,
    host: str | None = None,
) -> list[Party]:
    """The parties in the order of precedence for the list in `language`."""
    chair = [p for p in parties if p.kind == "chairmanship"]
    hosts = [p for p in parties if p.code == host and p.kind != "chairmanship"]
    rest = [p for p in parties if p not in chair and p not in hosts]
    members = [p for p in rest if p.kind != "observer"]
    observers = [p for p in rest if p.kind == "observer"]
    if style == "lot":
        members.sort(key=lambda p: collation_key(p.name_en, "en"))
        observers.sort(key=lambda p: collation_key(p.name_en, "en"))
        codes = [p.code for p in members]
        if lot_start in codes:
            i = codes.index(lot_start)
            members = members[i:] + members[:i]
    else:
        members.sort(key=lambda p: collation_key(name_in(p, language), language))
        observers.sort(key=lambda p: collation_key(name_in(p, language), language))
    return chair + hosts + members + observers
