"""Property tests: normalisation and diff never fail and the diff is lossless."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.archive.finder import diff_words, normalise_tokens
from secretariat.archive.finder.normalise import WORD_RE

WORDS = st.sampled_from(
    ["can", "not", "cannot", "civilisation", "civilization", "the", "of", "Қазақстан", "мир", "and"]
)
TEXT = st.one_of(st.text(max_size=200), st.lists(WORDS, max_size=30).map(" ".join))


def _words(s: str) -> list[str]:
    return WORD_RE.findall(s)


@given(TEXT)
@settings(max_examples=300, deadline=None)
def test_normalise_never_raises(text: str) -> None:
    toks = normalise_tokens(text)
    assert all(isinstance(t, str) and t for t in toks)


@given(TEXT, TEXT)
@settings(max_examples=300, deadline=None)
def test_diff_is_lossless(query: str, text: str) -> None:
    ops = diff_words(query, text)
    assert all(o["op"] in {"equal", "insert", "delete", "replace"} for o in ops)
    # applying the ops to the query's words gives the paragraph's words, and back
    assert [w for o in ops for w in _words(o["text"])] == _words(text)
    assert [w for o in ops for w in _words(o["query"])] == _words(query)
    for o in ops:
        if o["op"] == "equal":
            assert normalise_tokens(o["query"]) == normalise_tokens(o["text"])
        if o["op"] == "insert":
            assert o["query"] == ""
        if o["op"] == "delete":
            assert o["text"] == ""
