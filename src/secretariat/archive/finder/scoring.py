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

import threading

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


# Empty-slot marker of the 16-bit table: its top 16 bits are the NEXT slot, so no value
# landing in slot s (top bits s) can equal it.
_EMPTY16 = ((np.arange(1 << 16, dtype=np.uint32) + np.uint32(1)) & np.uint32(0xFFFF)) << np.uint32(
    16
)
_TLS = threading.local()


def _tables() -> tuple[np.ndarray, np.ndarray]:
    t = getattr(_TLS, "tables", None)
    if t is None:
        t = _TLS.tables = (_EMPTY16.copy(), np.zeros(1 << 16, np.int32))
    return t


def vocab_hits(
    qv: np.ndarray, terms: np.ndarray, hashed: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(ascending positions in terms holding a word of the small distinct vocabulary qv,
    the index in qv of each).

    A direct-mapped table holding the vocabulary word of each slot costs one gather and one
    compare per term; binary search (np.searchsorted) is several times slower per element.
    hashed=True: values are already uniform hashes (term ids are crc32s), so their top bits
    are the slot; otherwise both sides are first multiplied by an odd constant (a bijection
    mod 2**32, so equality is kept). Words that lose their slot to another word are found
    by a second round over the terms (rare: the table has >= 16x more slots than words).
    """
    if not hashed:
        return vocab_hits(qv * _HASH_MUL, np.multiply(terms, _HASH_MUL, dtype=np.uint32), True)
    nv = len(qv)
    if nv == 0 or len(terms) == 0:
        return np.zeros(0, np.intp), np.zeros(0, np.int64)
    big = nv >= 4096
    bits = 20 if big else 16
    shift = np.uint32(32 - bits)
    slot_q = (qv >> shift).astype(np.intp)
    if big:
        # empty slots hold qv[0]: a term equal to qv[0] always lands in qv[0]'s own slot
        keytab = np.full(1 << bits, qv[0], np.uint32)
        idxtab = np.empty(1 << bits, np.int32)  # only read where keytab matched
    else:  # per-thread tables, restored after use: no 2 x 256 KiB to allocate per call
        keytab, idxtab = _tables()
    keytab[slot_q] = qv
    idx = np.arange(nv, dtype=np.int32)
    idxtab[slot_q] = idx
    slot = (terms >> shift).astype(np.intp)
    pos = np.flatnonzero(keytab.take(slot) == terms)
    vid = idxtab.take(slot.take(pos)).astype(np.int64)
    lost = np.flatnonzero(idxtab.take(slot_q) != idx)
    if not big:
        keytab[slot_q] = _EMPTY16[slot_q]
    if lost.size:  # words overwritten by another word of the same slot
        pos2, vid2 = vocab_hits(qv[lost], terms, True)
        pos = np.concatenate((pos, pos2))
        vid = np.concatenate((vid, lost[vid2]))
        order = np.argsort(pos, kind="stable")
        pos, vid = pos[order], vid[order]
    return pos, vid


def concat_terms(
    toks: np.ndarray, tok_off: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Terms of the given rows concatenated, plus the candidate number of each term."""
    starts = tok_off[rows]
    ends = tok_off[rows + 1]
    parts = [toks[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    lens = (ends - starts).astype(np.int64)
    terms = np.concatenate(parts).astype(np.uint32, copy=False) if parts else np.zeros(0, np.uint32)
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
    # Only the terms that are query words matter from here on, so work on their positions
    # (usually a minority of the candidate terms) instead of full-length masks.
    f, pf = vocab_hits(qv, cand_terms, hashed=True)
    off = np.zeros(c + 1, np.int64)
    np.cumsum(cand_lens, out=off[1:])
    n_found = np.diff(np.searchsorted(f, off))  # query-word terms per candidate
    owner = np.repeat(np.arange(c, dtype=np.int64), n_found)
    present = np.zeros(c * nv, bool)  # flat [candidate, query word]: one scatter
    present[owner * nv + pf] = True
    uhit = present.reshape(c, nv)[:, qinv]
    if m > 1 and nv < 65536 and f.size > 1:
        # bigram presence: pairs of query-vocabulary numbers coded a * nv + b, then looked up
        # among the query's own distinct pairs (small tables only, no per-query big arrays)
        qcode = qinv[:-1].astype(np.int64) * nv + qinv[1:]
        qbu, qbinv = np.unique(qcode, return_inverse=True)
        # a pair = two adjacent query-word terms of the same candidate
        ok = np.flatnonzero((f[1:] == f[:-1] + 1) & (owner[1:] == owner[:-1]))
        codes = (pf[ok] * nv + pf[ok + 1]).astype(np.uint32)
        hit, jb = vocab_hits(qbu.astype(np.uint32), codes)
        nb = len(qbu)
        bpresent = np.zeros(c * nb, bool)
        bpresent[owner[ok[hit]] * nb + jb] = True
        bhit = bpresent.reshape(c, nb)[:, qbinv]
        covered = np.zeros((c, m), bool)
        covered[:, :-1] = bhit
        covered[:, 1:] |= bhit
    else:
        covered = uhit
    w = np.asarray(weights, np.float64)
    wsum = float(w.sum()) or 1.0
    # uint8 views: the matrix-vector products skip a bool -> float copy of the matrices
    ucov = (uhit.view(np.uint8) @ w) / wsum
    bcov = (covered.view(np.uint8) @ w) / wsum
    # tightness: share of paragraph words that occur in the query
    tight = n_found / np.maximum(cand_lens, 1)
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
