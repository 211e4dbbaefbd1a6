"""Text normalisation shared by the index, the query path, coverage and the word diff.

Pipeline for one word: casefold -> British/American spelling folded to one form
(we fold towards the British "-ise"/"-our"/"-re" forms) -> optional Snowball stem.
"can not" / "can't" become one token "cannot". Every script is handled: the
tokeniser is a Unicode regex, so Cyrillic and Kazakh letters (ә ғ қ ң ө ұ ү һ і)
are ordinary word characters.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import snowballstemmer

# Letters/digits of any script, keeping inner apostrophes and hyphens ("non-State", "can't").
WORD_RE = re.compile(r"[^\W_]+(?:['\u2019\u02bc][^\W_]+)*")

# Spelling folds. Direction does not matter for matching, only consistency does.
_IZE_RE = re.compile(r"(?<=[a-z]{2})(i|y)z(e|es|ed|ing|er|ers|ation|ations|ational)$")
_OUR_RE = re.compile(
    r"^(fav|hon|lab|col|behavi|neighb|endeav|harb|rum|vig|hum|sav|val|arm|parl|od|cand|"
    r"clam|rig|splend|tum|vap|ferv|sav)or(s|ed|ing|able|ably|ite|ites|ful|less|er|ers|hood)?$"
)
_ER_RE = re.compile(r"^(cent|theat|met|fib|lit|calib|somb|spect|sab|meag|lust|manoeuv)er(s|d)?$")
_LL_RE = re.compile(
    r"^(travel|label|model|cancel|fuel|counsel|signal|level|channel|marshal|total|equal|dial|"
    r"jewel|tunnel|quarrel|rival|initial|pedal|shovel|marvel|libel)(l)(ed|ing|er|ers|ation)$"
)
_WORD_MAP = {
    "program": "programme",
    "programs": "programmes",
    "defense": "defence",
    "offense": "offence",
    "offenses": "offences",
    "license": "licence",
    "licenses": "licences",
    "judgment": "judgement",
    "judgments": "judgements",
    "acknowledgment": "acknowledgement",
    "acknowledgments": "acknowledgements",
    "aging": "ageing",
    "gray": "grey",
    "enrollment": "enrolment",
    "fulfill": "fulfil",
    "fulfills": "fulfils",
    "fulfillment": "fulfilment",
    "installment": "instalment",
    "skillful": "skilful",
    "willful": "wilful",
    "catalog": "catalogue",
    "dialog": "dialogue",
    "analog": "analogue",
    "maneuver": "manoeuvre",
    "maneuvers": "manoeuvres",
    "toward": "towards",
    "amongst": "among",
    "whilst": "while",
    "can't": "cannot",
    "can\u2019t": "cannot",
    "fetus": "foetus",
    "pediatric": "paediatric",
    "encyclopedia": "encyclopaedia",
    "medieval": "mediaeval",
    "anemia": "anaemia",
    "airplane": "aeroplane",
    "cozy": "cosy",
    "plow": "plough",
    "mold": "mould",
    "smolder": "smoulder",
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
}
# Words that end like "-ize" but have no "-ise" twin would fold harmlessly anyway,
# except where the folded form is another real word.
_IZE_KEEP = frozenset({"size", "sized", "sizes", "prize", "prizes", "seize", "seized", "seizes"})
_IZE_KEEP |= {"seizing", "capsize", "capsized", "baize", "maize", "assize", "assizes"}


@lru_cache(maxsize=1 << 18)
def fold_word(word: str) -> str:
    """Casefolded word with spelling variants mapped to one form (no stemming)."""
    w = word.casefold().replace("\u2019", "'").replace("\u02bc", "'")
    if w in _WORD_MAP:
        return _WORD_MAP[w]
    if not w.isascii():
        return w
    if w not in _IZE_KEEP and "z" in w:
        w = _IZE_RE.sub(lambda m: m.group(1) + "s" + m.group(2), w)
    if w.endswith("or") or "or" in w:
        m = _OUR_RE.match(w)
        if m:
            w = m.group(1) + "our" + (m.group(2) or "")
    if "er" in w:
        m = _ER_RE.match(w)
        if m:
            w = m.group(1) + "re" + (m.group(2) or "")
    if "ll" in w:
        m = _LL_RE.match(w)
        if m:
            w = m.group(1) + m.group(3)
    return w


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 18)
def stem_word(folded: str) -> str:
    """Light (Snowball English) stem of a folded word; other scripts pass through."""
    if not folded.isascii() or len(folded) <= 3:
        return folded
    return _STEMMER.stemWord(folded)


def term_hash(term: str) -> int:
    """Stable 32-bit id of an index term (the same in every process, unlike hash())."""
    return zlib.crc32(term.encode("utf-8"))


def normalise_tokens(text: str) -> list[str]:
    """Casefolded, spelling-folded words of text, with "can not" merged into "cannot"."""
    return [norm for norm, _ in tokens_with_surface(text)]


def tokens_with_surface(text: str) -> list[tuple[str, str]]:
    """(normalised word, surface text) pairs; "can not" yields ("cannot", "can not")."""
    out: list[tuple[str, str]] = []
    for m in WORD_RE.finditer(text):
        surface = m.group(0)
        norm = fold_word(surface)
        if norm == "not" and out and out[-1][0] == "can":
            out[-1] = ("cannot", out[-1][1] + " " + surface)
            continue
        out.append((norm, surface))
    return out
