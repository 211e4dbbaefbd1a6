"""Messy extracted text -> clean numbered paragraphs, and a date when the text clearly has one.

Text from PDFs and web pages comes hard-wrapped, with page numbers, hyphens at line ends and
stray symbols. We rejoin wrapped lines, undo line-end hyphenation (only when the next line
goes on in lower case, so "Asia-\\nEurope" stays "Asia-Europe"), drop page numbers and
recognise paragraph numbering. We never guess at words the extraction already glued together
("AsiaEurope" stays as it is): inventing text in an archive is worse than keeping a flaw.

Pure Python, no Django: the importer, the upload form and the tests call it alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# Lines that are only a page number or a page header counter ("12", "- 3 -", "4 of 46").
_PAGE_RE = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:page\s+)?\d{1,4}(?:\s+(?:of|/)\s+\d{1,4})?|[ivxlc]{1,6})$",
    re.IGNORECASE,
)
# A line made of symbols only (rules, stray bullets, form feeds).
_SYMBOLS_RE = re.compile(r"^[\W_]+$")
_BULLET_RE = re.compile(r"^(?:[-•*·▪◦‣●○■□–]|\uf0b7|\uf0a7)\s*")
# Paragraph numbering: "1.", "12)", "(3)", "a)", "(b)", "PP5", "OP1bis", "Pp1", "II.",
# "Article 2"; the label is kept apart from the paragraph's text.
_LABEL_RE = re.compile(
    r"^(?:"
    r"\((?P<paren>\d{1,3}|[a-z]{1,2}|[ivx]{1,5})\)"
    r"|(?P<pp>(?:PP|OP|Pp|Op)\d{1,3}(?:\s?(?:bis|ter|quater|[a-z]))?)(?:[.:)]|\s)"
    r"|(?P<num>\d{1,3}(?:\.\d{1,3})*)(?:[.)](?!\d))"
    r"|(?P<letter>[a-z])\)"
    r"|(?P<roman>[IVX]{1,5})\.(?=\s)"
    r")\s*"
)
_TERMINATORS = (".", ";", ":", "!", "?", '"', "”", "»", ")")
# Characters PDF extraction leaves behind that carry no text (™ stands for a lost quote).
_STRAY = dict.fromkeys(map(ord, "™\u00ad\ufeff\u200b\x0c"), None)


@dataclass(frozen=True)
class Para:
    number: int
    label: str
    text: str


def _clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line).translate(_STRAY)
    # Private-use glyphs are symbol-font bullets from PDFs.
    line = "".join(" " if unicodedata.category(c) == "Co" else c for c in line)
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def _starts_item(line: str) -> bool:
    return bool(_BULLET_RE.match(line) or _LABEL_RE.match(line))


def _is_noise(line: str) -> bool:
    return bool(_PAGE_RE.match(line) or _SYMBOLS_RE.match(line))


def _wrap_width(lines: list[str]) -> int:
    """The width a hard-wrapped text was wrapped at, or 0 when lines are whole paragraphs."""
    lengths = sorted(len(s) for s in lines if len(s) > 20)
    if len(lengths) < 5:
        return 0
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    long_share = sum(1 for n in lengths if n >= 0.7 * p90) / len(lengths)
    return p90 if p90 <= 130 and long_share >= 0.5 else 0


def _join(previous: str, line: str) -> str:
    if re.search(r"[^\W\d_]-$", previous):
        # "pro-\ncess" was one word cut by the wrapping; "Asia-\nEurope" a real compound.
        return (previous[:-1] if line[:1].islower() else previous) + line
    return f"{previous} {line}"


def split_blocks(raw: str) -> list[str]:
    """The text's paragraphs as strings, wrapped lines rejoined and noise dropped."""
    lines = [_clean_line(s) for s in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    width = _wrap_width(lines)
    blocks: list[str] = []
    current, last = "", ""
    for line in lines:
        if not line:
            if current:
                blocks.append(current)
            current = last = ""
            continue
        if _is_noise(line):
            continue
        if current and not _starts_item(line) and _continues(current, last, line, width):
            current = _join(current, line)
        else:
            if current:
                blocks.append(current)
            current = line
        last = line
    if current:
        blocks.append(current)
    return blocks


def _continues(current: str, last: str, line: str, width: int) -> bool:
    """Does `line` go on with the paragraph whose last physical line is `last`?"""
    if line[:1].islower() or current.endswith("-"):
        return True
    if width:  # hard-wrapped: a line that reached the margin was cut by the wrapping
        return len(last) >= 0.7 * width
    return False


def split_label(block: str) -> tuple[str, str]:
    """("7", "Our cooperation ...") from "- 7.Our cooperation ..."; ("", block) if unnumbered."""
    text = _BULLET_RE.sub("", block, count=1) if _BULLET_RE.match(block) else block
    match = _LABEL_RE.match(text)
    if not match or match.end() == len(text):
        return "", text.strip()
    label = next(v for v in match.groupdict().values() if v)
    return label.replace(" ", ""), text[match.end() :].strip()


def paragraphs(raw: str) -> list[Para]:
    """Numbered paragraphs (1, 2, ...) of a text, each with its own label when it has one."""
    out: list[Para] = []
    for block in split_blocks(raw):
        label, text = split_label(block)
        if not re.search(r"[^\W_]", text):
            continue
        out.append(Para(len(out) + 1, label, text))
    return out


# --- dates ---------------------------------------------------------------------------------
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan", "января", "январь", "қаңтар"),
            ("february", "feb", "февраля", "февраль", "ақпан"),
            ("march", "mar", "марта", "март", "наурыз"),
            ("april", "apr", "апреля", "апрель", "сәуір"),
            ("may", "мая", "май", "мамыр"),
            ("june", "jun", "июня", "июнь", "маусым"),
            ("july", "jul", "июля", "июль", "шілде"),
            ("august", "aug", "августа", "август", "тамыз"),
            ("september", "sep", "sept", "сентября", "сентябрь", "қыркүйек"),
            ("october", "oct", "октября", "октябрь", "қазан"),
            ("november", "nov", "ноября", "ноябрь", "қараша"),
            ("december", "dec", "декабря", "декабрь", "желтоқсан"),
        ]
    )
    for name in names
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,4})(?:st|nd|rd|th)?(?:\s*(?:[-–]|and|и)\s*(?P<day2>\d{1,2}))?"
_DATE_RES = [
    re.compile(rf"\b{_DAY}\s+{_MONTH}\s*,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\s*,\s*(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
]


def _to_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    day_text = groups.get("day2") or groups["day"]
    if len(day_text) > 2:  # "1011 September" is "10-11 September" with the dash lost
        day_text = day_text[-2:]
    month = groups["month"]
    month_no = int(month) if month.isdigit() else _MONTHS[month.lower()]
    try:
        return date(int(groups["year"]), month_no, int(day_text))
    except ValueError:
        return None


def _dates_in(text: str) -> list[tuple[int, date]]:
    found = []
    flat = re.sub(r"\s+", " ", text)
    for regex in _DATE_RES:
        for match in regex.finditer(flat):
            if (day := _to_date(match)) is not None:
                found.append((match.start(), day))
    return sorted(found)


def detect_date(raw: str, head: int = 700, tail: int = 400) -> date | None:
    """The document's date when the text clearly states one: the first full date of its
    heading, else the last full date of its closing lines ("Almaty, June 17, 2006")."""
    flat = re.sub(r"\s+", " ", raw).strip()
    if found := _dates_in(flat[:head]):
        return found[0][1]
    if found := _dates_in(flat[-tail:]):
        return found[-1][1]
    return None


def parse_header(raw: str) -> tuple[dict[str, str], str]:
    """The `SOURCE:`/`TITLE:` header some reference texts carry, and the text after it."""
    meta: dict[str, str] = {}
    lines = raw.lstrip("\ufeff").split("\n")
    i = 0
    while i < len(lines) and (m := re.match(r"^(SOURCE|TITLE):\s*(.*)$", lines[i])):
        meta[m.group(1).lower()] = m.group(2).strip()
        i += 1
    return meta, "\n".join(lines[i:]) if meta else raw


def guess_title(raw: str) -> str:
    """A heading naming the kind of text ("Declaration on ..."), else the first line that
    reads like a title (not a date, not a page header)."""
    candidates = []
    for block in split_blocks(raw)[:8]:
        text = re.sub(r"[*_#]+", "", block).strip()
        if 8 <= len(text) <= 200 and not _dates_in(text) and re.search(r"[^\W\d_]{3}", text):
            candidates.append(text)
    for text in candidates:
        if _TITLE_WORDS.search(text):
            return text
    return candidates[0] if candidates else ""


_TITLE_WORDS = re.compile(
    r"\b(declaration|statement|plan of action|concept|report|agreement|resolution|"
    r"communiqu|note verbale|programme)",
    re.IGNORECASE,
)


_TITLE_MAX_WORDS = 25
_TITLE_MAX_LINES = 4


def title_lines(paragraphs: list[tuple[str | None, str]]) -> int:
    """How many of the first paragraphs ((label, text) pairs) are the document's title lines:
    unlabelled, short, starting with a capital or a digit and not ending a sentence
    (``DRAFT ASTANA STATEMENT ON CICA TRANSFORMATION``, ``Plan of Action of the ...``). They
    are shown as a heading, not as numbered paragraphs. A text made only of such lines keeps
    them all as paragraphs."""
    n = 0
    for label, text in paragraphs[:_TITLE_MAX_LINES]:
        bare = text.strip("* ").strip()
        if label or not bare or not (bare[0].isupper() or bare[0].isdigit()):
            break
        if bare.endswith((".", ";", ",", ":")) or len(bare.split()) > _TITLE_MAX_WORDS:
            break
        n += 1
    return n if n < len(paragraphs) else 0
