"""Vectorised tokenising and shingle hashing (numpy, no per-token Python in the hot loops)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .normalise import WORD_RE, fold_word, stem_word, term_hash

U64 = np.uint64
_M1 = U64(0x9E3779B97F4A7C15)
_M2 = U64(0xC2B2AE3D27D4EB4F)
MASK32 = U64(0xFFFFFFFF)
MASK48 = U64((1 << 48) - 1)

# Very frequent function words: their unigrams are not posted (huge lists, no signal) and
# bigrams made only of them ("of the") are not posted either. They still count in reranking.
_STOP_TEXT = (
    "a about above after again against all also am an and any are as at be because been "
    "before being below between both but by can cannot could did do does doing down during "
    "each few for from further had has have having he her here hers herself him himself his "
    "how i if in into is it its itself just me more most my myself no nor not now of off on "
    "once only or other our ours ourselves out over own same she should so some such than "
    "that the their theirs them themselves then there these they this those through to too "
    "under until up very was we were what when where which while who whom why will with "
    "would you your yours yourself yourselves shall may must well including within among "
    "upon"
)
STOPWORDS = frozenset(_STOP_TEXT.split())


class _TermCache(dict):
    """surface word -> term id; misses are folded, stemmed and hashed once."""

    def __missing__(self, surface: str) -> int:
        tid = term_hash(stem_word(fold_word(surface)))
        self[surface] = tid
        return tid


_CACHE = _TermCache()
TID_CAN = term_hash(stem_word("can"))
TID_NOT = term_hash(stem_word("not"))
TID_CANNOT = term_hash(stem_word("cannot"))
STOP_TIDS = np.array(sorted({term_hash(stem_word(fold_word(w))) for w in STOPWORDS}), np.uint32)


def is_stop(ids: np.ndarray) -> np.ndarray:
    pos = np.searchsorted(STOP_TIDS, ids)
    pos[pos == STOP_TIDS.size] = 0
    return STOP_TIDS[pos] == ids


_SENTINEL = " qzxjfinderparagraphbreakqzxj "


def tokenise_texts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Term ids of many texts at once: (lengths int64[n], concatenated term ids uint32)."""
    findall = WORD_RE.findall
    cache = _CACHE
    if len(cache) > 2_000_000:  # bound memory on endless vocabularies
        cache.clear()
    word = _SENTINEL.strip()
    if not any(word in t for t in texts):
        joined = _SENTINEL.join(texts)
        # one regex pass over the whole batch; texts are told apart by the sentinel word
        words = findall(joined)
        del joined
        ids = np.array(list(map(cache.__getitem__, words)), dtype=np.uint32)
        del words
        brk = np.flatnonzero(ids == cache[word])
        if len(texts):
            bounds = np.concatenate(([-1], brk, [ids.size]))
            lens_a = (np.diff(bounds) - 1).astype(np.int64)
            ids = np.delete(ids, brk) if brk.size else ids
        else:
            lens_a = np.zeros(0, np.int64)
            ids = np.zeros(0, np.uint32)
    else:  # a text contains the sentinel itself: tokenise one by one
        lens: list[int] = []
        words = []
        for t in texts:
            w = findall(t)
            lens.append(len(w))
            words += w
        ids = np.array(list(map(cache.__getitem__, words)), dtype=np.uint32)
        lens_a = np.asarray(lens, dtype=np.int64)
    # "can not" -> "cannot" (same rule as normalise_tokens), only inside one text
    if ids.size > 1:
        pos = np.flatnonzero((ids[:-1] == TID_CAN) & (ids[1:] == TID_NOT))
        if pos.size:
            starts = np.cumsum(lens_a) - lens_a
            pos = pos[~np.isin(pos + 1, starts)]
            if pos.size:
                ids[pos] = TID_CANNOT
                owner = np.searchsorted(starts, pos, side="right") - 1
                lens_a -= np.bincount(owner, minlength=len(lens_a)).astype(np.int64)
                ids = np.delete(ids, pos + 1)
    return lens_a, ids


def tokenise_one(text: str) -> np.ndarray:
    """Term ids of one text (the query path): same result as tokenise_texts([text])[1],
    without the batch machinery, which costs more than the regex for a single text."""
    cache = _CACHE
    if len(cache) > 2_000_000:
        cache.clear()
    ids = np.array(list(map(cache.__getitem__, WORD_RE.findall(text))), dtype=np.uint32)
    if ids.size > 1:
        # "can not" -> "cannot" (pairs cannot overlap: "not" is not "can")
        pos = np.flatnonzero((ids[:-1] == TID_CAN) & (ids[1:] == TID_NOT))
        if pos.size:
            ids[pos] = TID_CANNOT
            ids = np.delete(ids, pos + 1)
    return ids


def _mix(x: np.ndarray) -> np.ndarray:
    x = x ^ (x >> U64(31))
    x = x * _M2
    x = x ^ (x >> U64(29))
    return x


def unigram_keys(t: np.ndarray) -> np.ndarray:
    """32-bit keys of single terms (uint64 array with values < 2**32)."""
    return _mix(t.astype(U64) * _M1 + U64(1)) >> U64(32)


def bigram_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """32-bit keys of term pairs."""
    return _mix((a.astype(U64) << U64(32)) | b.astype(U64)) >> U64(32)


def ngram_hash48(t: np.ndarray, n: int) -> np.ndarray:
    """48-bit hashes of all n-grams of t (length len(t) - n + 1)."""
    m = len(t) - n + 1
    if m <= 0:
        return np.zeros(0, U64)
    h = np.zeros(m, U64)
    t64 = t.astype(U64)
    for j in range(n):
        h = _mix(h * _M1 + t64[j : j + m] + U64(j + 1))
    return h & MASK48


def doc_keys(lens: np.ndarray, ids: np.ndarray, base_doc: int = 0) -> np.ndarray:
    """Sorted, de-duplicated entries (key << 32 | doc) for texts given as (lens, ids)."""
    n = len(lens)
    doc = np.repeat(np.arange(base_doc, base_doc + n, dtype=np.uint64), lens)
    stop = is_stop(ids)
    parts = []
    keep = ~stop
    parts.append((unigram_keys(ids[keep]) << U64(32)) | doc[keep])
    if ids.size > 1:
        same = doc[:-1] == doc[1:]
        same &= ~(stop[:-1] & stop[1:])
        parts.append((bigram_keys(ids[:-1][same], ids[1:][same]) << U64(32)) | doc[:-1][same])
    ent = np.concatenate(parts)
    ent.sort()
    if ent.size:
        keep2 = np.empty(ent.size, bool)
        keep2[0] = True
        np.not_equal(ent[1:], ent[:-1], out=keep2[1:])
        ent = ent[keep2]
    return ent


def query_keys(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct index keys of a query: (unigram keys per token, all keys unique)."""
    stop = is_stop(ids)
    uni = unigram_keys(ids)
    keys = [uni[~stop]]
    if ids.size > 1:
        same = ~(stop[:-1] & stop[1:])
        keys.append(bigram_keys(ids[:-1][same], ids[1:][same]))
    keys_all = np.sort(np.concatenate(keys))
    if keys_all.size > 1:
        keys_all = keys_all[np.concatenate(([True], keys_all[1:] != keys_all[:-1]))]
    return uni, keys_all
