"""Precise, vectorised rerank of a few dozen candidate paragraphs against one query.

Score = how much of the QUERY the paragraph covers (asymmetric on purpose: a sentence
reused inside a longer paragraph still scores near 1), with a small bonus for tight
matches so the paragraph that is mostly the query ranks first:
  ucov   idf-weighted share of query words present in the paragraph (order-free, so
         reordered clauses are not punished)
  bcov   idf-weighted share of query words that sit in a word pair (bigram) also found
         in the paragraph (order-aware, rejects accidental word overlap)
  tight  share of the paragraph's words present in the query
  cov    = W_BIGRAM * bcov + (1 - W_BIGRAM) * ucov
  score  = cov * (1 - min(1, W_PARTIAL * (1 - tight) * (1 - cov))) * (1 - W_TIGHT * (1 - tight))
A query fully contained in a long paragraph keeps cov ~ 1 (only the W_TIGHT tie-break
applies); a partial match inside a paragraph that is mostly about something else is
discounted, which is what separates "no precedent" drafts from real ones (bench-calibrated).
"""

from __future__ import annotations

import numpy as np

from .shingles import U64, ngram_hash48

W_BIGRAM = 0.8
W_TIGHT = 0.03
W_PARTIAL = 1.5  # weights tuned on the bench (100k and 1M), see bench.py
_C_SHIFT = U64(48)


def isin_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """np.isin(a, b) via sort + searchsorted (numpy's hash-based unique is slow for this size)."""
    if b.size == 0:
        return np.zeros(a.shape, bool)
    bs = np.sort(b)
    pos = np.searchsorted(bs, a)
    pos[pos == bs.size] = bs.size - 1
    return bs[pos] == a


_HASH_MUL = np.uint32(2654435761)


def dense_lookup(qv: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """Index of each term in the small sorted vocabulary qv, or -1.

    A direct-mapped hash table (multiplicative hashing, verified against qv) costs a few
    vector passes; binary search (np.searchsorted) is several times slower per element.
    Terms landing on a slot shared by two vocabulary words fall back to binary search.
    """
    nv = len(qv)
    bits = 13 if nv < 2000 else 20
    shift = np.uint32(32 - bits)
    slot_q = (qv * _HASH_MUL) >> shift
    table = np.full(1 << bits, nv, np.int32)  # nv = empty slot
    idx = np.arange(nv, dtype=np.int32)
    table[slot_q] = idx
    lost = table[slot_q] != idx
    if lost.any():
        table[slot_q[lost]] = nv + 1  # shared slot: resolved below
    j = table[(terms * _HASH_MUL) >> shift]
    qv_ext = np.concatenate((qv, qv[:1], qv[:1]))
    out = np.where((qv_ext[j] == terms) & (j < nv), j, -1)
    if lost.any():
        amb = np.flatnonzero(j == nv + 1)
        if amb.size:
            pos = np.searchsorted(qv, terms[amb])
            pos[pos == nv] = 0
            out[amb] = np.where(qv[pos] == terms[amb], pos, -1)
    return out


def uniq(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort-based)."""
    s = np.sort(a)
    if s.size < 2:
        return s
    keep = np.empty(s.size, bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def concat_terms(
    toks: np.ndarray, tok_off: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Terms of the given rows concatenated, plus the candidate number of each term."""
    starts = tok_off[rows]
    ends = tok_off[rows + 1]
    parts = [toks[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    lens = (ends - starts).astype(np.int64)
    terms = np.concatenate(parts).astype(np.uint32) if parts else np.zeros(0, np.uint32)
    return terms, lens


def rerank(
    q: np.ndarray, weights: np.ndarray, cand_terms: np.ndarray, cand_lens: np.ndarray
) -> np.ndarray:
    """Scores in [0, 1] of each candidate (given as concatenated terms + lengths) for query q."""
    c = len(cand_lens)
    m = len(q)
    if c == 0 or m == 0:
        return np.zeros(c)
    # Map every term to a dense query-vocabulary number (or -1): then all presence tests are
    # small-table lookups instead of searches over candidate terms.
    qv, qinv = np.unique(q, return_inverse=True)
    nv = len(qv)
    ptv = dense_lookup(qv, cand_terms)
    found = ptv >= 0
    owner = np.repeat(np.arange(c), cand_lens)
    present = np.zeros((c, nv), bool)
    present[owner[found], ptv[found]] = True
    uhit = present[:, qinv]
    if m > 1 and nv < 65536:
        # bigram presence: pairs of query-vocabulary numbers coded a * nv + b, then looked up
        # among the query's own distinct pairs (small tables only, no per-query big arrays)
        nv32 = np.uint32(nv)
        qcode = qinv[:-1].astype(np.uint32) * nv32 + qinv[1:].astype(np.uint32)
        qbu, qbinv = np.unique(qcode, return_inverse=True)
        a, b = ptv[:-1], ptv[1:]
        ok = np.flatnonzero((a >= 0) & (b >= 0) & (owner[:-1] == owner[1:]))
        codes = a[ok].astype(np.uint32) * nv32 + b[ok].astype(np.uint32)
        jb = dense_lookup(qbu, codes)
        hit = jb >= 0
        bpresent = np.zeros((c, len(qbu)), bool)
        bpresent[owner[ok[hit]], jb[hit]] = True
        bhit = bpresent[:, qbinv]
        covered = np.zeros((c, m), bool)
        covered[:, :-1] |= bhit
        covered[:, 1:] |= bhit
    else:
        covered = uhit
    wsum = float(weights.sum()) or 1.0
    ucov = uhit @ weights / wsum
    bcov = covered @ weights / wsum
    # tightness: share of paragraph words that occur in the query
    tight = np.bincount(owner, weights=found, minlength=c) / np.maximum(cand_lens, 1)
    cov = W_BIGRAM * bcov + (1.0 - W_BIGRAM) * ucov
    partial = np.minimum(1.0, W_PARTIAL * (1.0 - tight) * (1.0 - cov))
    score = cov * (1.0 - partial) * (1.0 - W_TIGHT * (1.0 - tight))
    return np.clip(score, 0.0, 1.0)


def run_cover(
    q: np.ndarray, cand_terms: np.ndarray, cand_lens: np.ndarray, run: int = 6
) -> np.ndarray:
    """bool[c, len(q)]: query word i lies in a run of >= `run` words found verbatim in cand c."""
    c = len(cand_lens)
    m = len(q)
    out = np.zeros((c, m), bool)
    if c == 0 or m < run:
        return out
    owner = np.repeat(np.arange(c, dtype=U64), cand_lens)
    h = ngram_hash48(cand_terms, run)
    same = owner[: len(h)] == owner[run - 1 :]
    p_keys = (owner[: len(h)][same] << _C_SHIFT) | h[same]
    qh = ngram_hash48(q, run)
    q_keys = ((np.arange(c, dtype=U64)[:, None] << _C_SHIFT) | qh[None, :]).ravel()
    hit = isin_sorted(q_keys, p_keys).reshape(c, len(qh))
    for j in range(run):  # a window hit covers its `run` words
        out[:, j : j + len(qh)] |= hit
    return out
