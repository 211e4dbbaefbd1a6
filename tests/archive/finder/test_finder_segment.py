"""Segment files: postings equal a naive construction, frequent keys lose postings only."""

from __future__ import annotations

import numpy as np

from secretariat.archive.finder.segment import Segment, tokenise_pairs, write_segment
from secretariat.archive.finder.shingles import bigram_keys, is_stop, unigram_keys

TEXTS = [
    "the climate agreement on adaptation finance",
    "climate finance for adaptation and mitigation",
    "the agreement enters into force",
    "adaptation adaptation adaptation finance",
    "Совещание по взаимодействию и мерам доверия",
]


def _naive(texts):
    ids, lens, toks, _ = tokenise_pairs(list(enumerate(texts)))
    post: dict[int, set[int]] = {}
    off = np.concatenate(([0], np.cumsum(lens)))
    for r in range(len(texts)):
        t = toks[off[r] : off[r + 1]]
        st = is_stop(t)
        for k in unigram_keys(t[~st]).tolist():
            post.setdefault(int(k), set()).add(r)
        for i in range(len(t) - 1):
            if not (st[i] and st[i + 1]):
                k = int(bigram_keys(t[i : i + 1], t[i + 1 : i + 2])[0])
                post.setdefault(k, set()).add(r)
    return (ids, lens, toks), post


def test_postings_match_naive(tmp_path) -> None:
    (ids, lens, toks), post = _naive(TEXTS)
    write_segment(str(tmp_path / "s"), ids, lens, toks)
    seg = Segment(str(tmp_path / "s"))
    assert seg.n == len(TEXTS)
    assert sorted(post) == seg.keys.tolist()
    for j, k in enumerate(seg.keys.tolist()):
        rows = seg.post[seg.post_off[j] : seg.post_off[j + 1]].tolist()
        assert rows == sorted(post[k])
        assert seg.df[j] == len(post[k])
    assert seg.terms(4).size == 6


def test_frequent_keys_keep_df_but_lose_postings(tmp_path) -> None:
    (ids, lens, toks), post = _naive(TEXTS)
    write_segment(str(tmp_path / "s"), ids, lens, toks, max_df_frac=0.0, min_cap=2)
    seg = Segment(str(tmp_path / "s"))
    for j, k in enumerate(seg.keys.tolist()):
        rows = seg.post[seg.post_off[j] : seg.post_off[j + 1]].tolist()
        assert seg.df[j] == len(post[k])
        assert rows == ([] if len(post[k]) > 2 else sorted(post[k]))


def test_bulk_build_paths_agree(tmp_path) -> None:
    from secretariat.archive.finder import build

    pairs = [(i, t) for i, t in enumerate(TEXTS * 3)]  # duplicate texts, distinct ids
    a = build(str(tmp_path / "a"), pairs, workers=1)
    b = build(str(tmp_path / "b"), pairs, workers=2)
    dup = build(str(tmp_path / "c"), [*pairs, (0, TEXTS[1])], workers=1)  # id 0 replaced
    sa, sb = a._segs[0].seg, b._segs[0].seg
    for f in ("keys", "post", "post_off", "df", "toks", "ids"):
        assert np.array_equal(getattr(sa, f), getattr(sb, f)), f
    assert len(dup) == len(pairs)
    assert dup.search(TEXTS[1], k=20)[0].score > 0.99
    assert not [f for f in __import__("os").listdir(tmp_path / "a") if f.startswith("entries")]
