"""Words as the full-text index sees them: folded (case, diacritics) and stemmed.

Stemming goes by the word's script, so a query needs no language: Latin words take the English
Snowball stemmer, Cyrillic words the Russian one, and words with letters only Kazakh uses
(ә ғ қ ң ө ұ ү һ і) are kept whole (there is no Kazakh Snowball stemmer). Index and query use
the same functions, so both databases see the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+")
_KAZAKH = set("әғқңөұүһі")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")
_STEMMERS = {
    "english": snowballstemmer.stemmer("english"),
    "russian": snowballstemmer.stemmer("russian"),
}


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower case without diacritics; Kazakh letters are letters of their own and stay."""
    word = word.casefold()
    out = []
    for ch in word:
        if ch in _KAZAKH or ch in "йё":
            out.append({"й": "и", "ё": "е"}.get(ch, ch))
            continue
        base = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in base if not unicodedata.combining(c)))
    return unicodedata.normalize("NFC", "".join(out))


@lru_cache(maxsize=200_000)
def stem(folded: str) -> str:
    if any(ch in _KAZAKH for ch in folded) or folded.isdigit():
        return folded
    if _CYRILLIC.search(folded):
        return _STEMMERS["russian"].stemWord(folded)
    if _LATIN.search(folded):
        return _STEMMERS["english"].stemWord(folded)
    return folded


_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def words(text: str) -> list[str]:
    """Folded words; Chinese and Japanese characters are words of their own (those scripts
    put no spaces between words), so a run of them is searched as a phrase."""
    out: list[str] = []
    for word in WORD_RE.findall(text):
        if _CJK.search(word):
            out.extend(fold(part) for part in _CJK.split(word) if part)
        else:
            out.append(fold(word))
    return out


def plain_form(text: str) -> str:
    return " ".join(words(text))


def stemmed_form(text: str) -> str:
    return " ".join(stem(w) for w in words(text))
