"""The translation catalogues as data: which strings an edition lacks, and filling them in.

Every catalogue directory (the project's ``locale/`` and each app's) holds one edition per
interface language (``ru``, ``kk``). A string belongs to the UI when any edition of its
catalogue lists it; an edition lacks it when it is absent, empty or fuzzy there, and a
translation is wrong when its placeholders (``%(name)s``, ``{count}``, HTML tags) differ from
the English ones. ``secretariat translations`` prints the gaps as JSON to fill in and applies
the filled file back, so the strings other branches add are translated in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

# The interface languages besides English, with their gettext plural rules (CLDR: Russian
# one/few/many, Kazakh one/other).
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<12 || n%100>14) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n != 1);",
}
LANGUAGES = tuple(PLURAL_FORMS)

# Entries that override Django's own catalogue for one language only (the Kazakh month names
# in lower case inside a date); the other editions need not list them.
LANGUAGE_OWN_CONTEXTS = {"alt. month"}

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]|\{\w*\}|</?[a-zA-Z][^>]*>|&[a-z]+;")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def edition_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


@dataclass
class Gap:
    catalogue: Path
    language: str
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    problem: str = "missing"  # missing | untranslated | fuzzy | placeholders
    others: dict[str, Any] = field(default_factory=dict)  # other editions' msgstr, as a guide

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"msgid": self.msgid}
        if self.msgid_plural:
            out["msgid_plural"] = self.msgid_plural
        if self.msgctxt is not None:
            out["msgctxt"] = self.msgctxt
        out["problem"] = self.problem
        out.update({f"msgstr_{lang}": text for lang, text in self.others.items()})
        out["msgstr"] = ["", ""] if self.msgid_plural else ""
        return out


def _msgstrs(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _shown(entry: polib.POEntry) -> str | list[str]:
    texts = _msgstrs(entry)
    return texts if entry.msgid_plural else texts[0]


def _editions(locale_dir: Path) -> dict[str, polib.POFile]:
    editions = {}
    for language in LANGUAGES:
        path = edition_path(locale_dir, language)
        if path.exists():
            editions[language] = polib.pofile(str(path))
    return editions


def placeholder_mismatch(entry: polib.POEntry) -> bool:
    """True when a translated form's placeholders differ from the English ones (the singular
    form may drop the count, as Russian "одна" or an English "a" would)."""
    if not entry.msgid_plural:
        return bool(entry.msgstr) and placeholders(entry.msgstr) != placeholders(entry.msgid)
    allowed = (placeholders(entry.msgid), placeholders(entry.msgid_plural))
    return any(text and placeholders(text) not in allowed for text in _msgstrs(entry))


def gaps(locale_dirs: Iterable[Path], languages: Iterable[str] = LANGUAGES) -> list[Gap]:
    found: list[Gap] = []
    for locale_dir in locale_dirs:
        editions = _editions(Path(locale_dir))
        reference: dict[tuple[str | None, str], polib.POEntry] = {}
        for po in editions.values():
            for entry in po:
                if entry.obsolete or entry.msgctxt in LANGUAGE_OWN_CONTEXTS:
                    continue
                reference.setdefault((entry.msgctxt, entry.msgid), entry)
        for language in languages:
            po = editions.get(language)
            for key, ref in reference.items():
                entry = po.find(ref.msgid, msgctxt=ref.msgctxt) if po is not None else None
                if entry is None or entry.obsolete:
                    problem = "missing"
                elif "fuzzy" in entry.flags:
                    problem = "fuzzy"
                elif not all(_msgstrs(entry)):
                    problem = "untranslated"
                elif placeholder_mismatch(entry):
                    problem = "placeholders"
                else:
                    continue
                others = {}
                for other, other_po in editions.items():
                    if other == language:
                        continue
                    hint = other_po.find(ref.msgid, msgctxt=ref.msgctxt)
                    if hint is not None and all(_msgstrs(hint)):
                        others[other] = _shown(hint)
                found.append(
                    Gap(
                        catalogue=Path(locale_dir),
                        language=language,
                        msgid=ref.msgid,
                        msgid_plural=ref.msgid_plural,
                        msgctxt=key[0],
                        problem=problem,
                        others=others,
                    )
                )
    return found


def new_edition(language: str) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {
        "Project-Id-Version": "secretariat",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS[language],
    }
    return po


class ApplyError(ValueError):
    pass


def apply(locale_dir: Path, language: str, items: Iterable[dict[str, Any]]) -> int:
    """Write filled-in items (the JSON of ``gaps``, with ``msgstr`` set) into one edition;
    items left empty are skipped. Refuses the whole batch when a placeholder differs, so a
    half-applied file never happens. Returns how many entries were written."""
    locale_dir = Path(locale_dir)
    path = edition_path(locale_dir, language)
    po = polib.pofile(str(path)) if path.exists() else new_edition(language)
    source = {
        (e.msgctxt, e.msgid): e
        for other in _editions(locale_dir).values()
        for e in other
        if not e.obsolete
    }
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))  # type: ignore[union-attr]
    staged = []
    for item in items:
        msgstr = item.get("msgstr")
        if not msgstr or (isinstance(msgstr, list) and not any(msgstr)):
            continue
        key = (item.get("msgctxt"), item["msgid"])
        entry = po.find(item["msgid"], msgctxt=item.get("msgctxt"))
        if entry is None:
            ref = source.get(key)
            entry = polib.POEntry(
                msgid=item["msgid"],
                msgid_plural=item.get("msgid_plural", ""),
                msgctxt=item.get("msgctxt"),
                occurrences=ref.occurrences if ref is not None else [],
                flags=[f for f in (ref.flags if ref is not None else []) if f != "fuzzy"],
            )
            staged.append((entry, True))
        else:
            staged.append((entry, False))
        if entry.msgid_plural:
            forms = msgstr if isinstance(msgstr, list) else [msgstr]
            forms = (forms + [forms[-1]] * nplurals)[:nplurals]
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            if isinstance(msgstr, list):
                raise ApplyError(f"{item['msgid']!r} has no plural: give one string")
            entry.msgstr = msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if placeholder_mismatch(entry):
            raise ApplyError(f"placeholders differ for {item['msgid']!r} in {language}")
    for entry, new in staged:
        if new:
            po.append(entry)
    if staged:
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
    return len(staged)
