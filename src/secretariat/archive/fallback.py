"""RAPIDFUZZ FALLBACK for the finder engine: used only when secretariat.archive.finder cannot
be imported, so the archive stays up (correct, but it scans every paragraph on each query).

Same interface as the parts of the engine that finding.py uses. It keeps no index of its own:
it reads the indexed paragraphs from the library at query time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

import numpy as np
from rapidfuzz import fuzz

PRECEDENT_THRESHOLD = 0.6
RUN = 6
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Match:
    id: int
    score: float
    is_precedent: bool


@dataclass
class CoverageSource:
    id: int
    runs: int
    words: int


@dataclass
class Coverage:
    words: int
    covered_words: int
    share: float
    covered: list[bool] = field(default_factory=list)
    sources: list[CoverageSource] = field(default_factory=list)


def _fold(word: str) -> str:
    return re.sub(r"(?<=[a-z]{2})is(e|es|ed|ing|ation)$", r"iz\1", word.casefold())


def _norm(text: str) -> list[str]:
    """Folded words, "can not" as "cannot" (as the engine counts them)."""
    joined = " ".join(_fold(w) for w in _WORD.findall(text))
    return joined.replace("can not", "cannot").split()


def diff_words(query: str, text: str) -> list[dict[str, str]]:
    qa, ta = _WORD.findall(query), _WORD.findall(text)
    sm = SequenceMatcher(None, [_fold(w) for w in qa], [_fold(w) for w in ta], autojunk=False)
    return [
        {"op": tag, "query": " ".join(qa[i1:i2]), "text": " ".join(ta[j1:j2])}
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
    ]


class FinderIndex:
    """Scans the library's indexed paragraphs with rapidfuzz on each query."""

    def __init__(self, path: str = "") -> None:
        self.path = path

    @classmethod
    def create(cls, path: str) -> FinderIndex:
        return cls(path)

    @classmethod
    def open(cls, path: str, reload_interval: float = 0.0) -> FinderIndex:
        return cls(path)

    def add(self, pairs: Iterable[tuple[int, str]]) -> int:
        return 0

    def remove(self, ids: Iterable[int]) -> None:
        return None

    def _paragraphs(self, allow: Callable[[np.ndarray], np.ndarray] | None) -> list[Any]:
        from secretariat.archive.finding import indexed_paragraphs

        rows = list(indexed_paragraphs().values_list("id", "text"))
        if allow is None or not rows:
            return rows
        mask = allow(np.array([r[0] for r in rows], dtype=np.int64))
        return [r for r, keep in zip(rows, mask, strict=True) if keep]

    def search(
        self, text: str, k: int = 5, allow: Any = None, min_score: float | None = None
    ) -> list[Match]:
        query = " ".join(_norm(text))
        scored = []
        for pid, para in self._paragraphs(allow):
            score = fuzz.token_set_ratio(query, " ".join(_norm(para))) / 100
            scored.append((score, pid))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out = [Match(pid, s, s >= PRECEDENT_THRESHOLD) for s, pid in scored[:k]]
        return [m for m in out if min_score is None or m.score >= min_score]

    def coverage(self, text: str, allow: Any = None) -> Coverage:
        words = _norm(text)
        m = len(words)
        covered = [False] * m
        sources = []
        if m >= RUN:
            grams = {tuple(words[i : i + RUN]): i for i in range(m - RUN + 1)}
            for pid, para in self._paragraphs(allow):
                pw = _norm(para)
                mine = [False] * m
                for j in range(len(pw) - RUN + 1):
                    if (i := grams.get(tuple(pw[j : j + RUN]))) is not None:
                        for x in range(i, i + RUN):
                            mine[x] = True
                if any(mine):
                    runs = sum(1 for x in range(m) if mine[x] and (x == 0 or not mine[x - 1]))
                    sources.append(CoverageSource(pid, runs, sum(mine)))
                    covered = [a or b for a, b in zip(covered, mine, strict=True)]
        sources.sort(key=lambda s: (-s.words, s.id))
        n = sum(covered)
        return Coverage(m, n, n / m if m else 0.0, covered, sources)


def build(path: str, pairs: Iterable[tuple[int, str]], workers: int = 1) -> FinderIndex:
    # Nothing to build: the fallback reads the library at query time.
    return FinderIndex(path)
