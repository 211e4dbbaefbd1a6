"""Agreed-language finder engine (pure Python + numpy; no Django here).

Public API
  normalise_tokens(text) -> list[str]
      casefolded Unicode words (any script), British/American spelling folded to one form,
      "can not"/"can't" -> "cannot".
  FinderIndex.create(path) / FinderIndex.open(path, reload_interval=0.0)
      open() raises FileNotFoundError when there is no index, IndexUnreadable when the
      directory holds one this engine cannot read (rebuild it: build() replaces it)
  build(path, pairs, workers=1) -> FinderIndex      bulk (re)build from (id, text) pairs
  idx.add(pairs)        add or replace paragraphs (new delta segment, no rebuild)
  idx.remove(ids)       withdraw paragraphs (tombstones)
  idx.live_ids(ids)     which of these ids the index holds live (sorted)
  idx.compact()         merge all segments, drop dead rows
  idx.search(text, k=5, allow=None, min_score=None) -> list[Match(id, score, is_precedent)]
      score in [0, 1]: idf-weighted share of the QUERY covered by the paragraph (word pairs
      and words), discounted when the match is partial AND the paragraph is mostly other text,
      plus a <= 3 % tie-break for tighter paragraphs (see scoring.py). A sentence reused inside
      a longer paragraph therefore still scores ~1. Every match has is_precedent = score >=
      PRECEDENT_THRESHOLD; search(..., min_score=PRECEDENT_THRESHOLD) returns precedents only,
      and [] then means "no precedent".
      allow(ids: np.ndarray[int64]) -> bool mask is applied before the top-k: filtered
      paragraphs never appear and never displace allowed ones (more candidates are fetched).
  idx.coverage(text, allow=None) -> Coverage(words, covered_words, share, covered, sources)
      words of the draft inside runs of >= 6 consecutive words found in archive paragraphs.
  len(idx), idx.stats()
  diff_words(query, text) -> list[{"op", "query", "text"}]   word-level diff for display
  PRECEDENT_THRESHOLD: float

The index is a directory shared by all processes: immutable mmap'd segments, a tombstone
file and an atomically replaced manifest; see index.py for the layout.

Modules: normalise (tokens, spelling folds, stems), shingles (vectorised tokenising and key
hashing), segment (on-disk segment build/load), scoring (rerank, 6-word runs), index
(FinderIndex, build), diff (diff_words), gencorpus (synthetic archive), bench (the
`secretariat archive bench` command: bench.main(argv) -> int).
"""

from .diff import diff_words
from .index import (
    PRECEDENT_THRESHOLD,
    Coverage,
    CoverageSource,
    FinderIndex,
    IndexUnreadable,
    Match,
    build,
)
from .normalise import normalise_tokens

__all__ = [
    "PRECEDENT_THRESHOLD",
    "Coverage",
    "CoverageSource",
    "FinderIndex",
    "IndexUnreadable",
    "Match",
    "build",
    "diff_words",
    "normalise_tokens",
]
