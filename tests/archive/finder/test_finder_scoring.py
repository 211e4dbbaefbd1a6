"""Low-level query-path helpers agree with plain numpy/Python references."""

from __future__ import annotations

import numpy as np
import pytest

from secretariat.archive.finder.scoring import vocab_hits
from secretariat.archive.finder.shingles import tokenise_one, tokenise_texts


@pytest.mark.parametrize("hashed", [True, False])
@pytest.mark.parametrize("seed", range(12))
def test_vocab_hits_matches_isin(seed: int, hashed: bool) -> None:
    rng = np.random.default_rng(seed)
    nv = int(rng.integers(1, 6000))
    qv = rng.integers(0, 2**32, nv, dtype=np.uint64).astype(np.uint32)
    if seed % 3 == 0:  # words sharing table slots (same top bits), small integers
        qv = np.concatenate([qv, (qv[:20] & np.uint32(0xFFFF0000)) | np.uint32(7), np.arange(50)])
    qv = np.unique(qv.astype(np.uint32))
    terms = np.concatenate(
        [
            rng.choice(qv, 700),
            rng.integers(0, 2**32, 700, dtype=np.uint64).astype(np.uint32),
            qv + np.uint32(1),
            (np.arange(200, dtype=np.uint32) + np.uint32(1)) << np.uint32(16),
        ]
    )
    rng.shuffle(terms)
    pos, vid = vocab_hits(qv, terms, hashed=hashed)
    assert np.array_equal(pos, np.flatnonzero(np.isin(terms, qv)))
    assert np.array_equal(qv[vid], terms[pos])


@pytest.mark.parametrize(
    "text",
    ["", "...", "can not", "We can not, can't and cannot agree", "can\nnot can not not", "Мир и"],
)
def test_tokenise_one_matches_batch(text: str) -> None:
    assert np.array_equal(tokenise_one(text), tokenise_texts([text])[1])
