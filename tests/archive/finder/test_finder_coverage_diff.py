"""Draft coverage by 6-word runs, and the word diff."""

from __future__ import annotations

from secretariat.archive.finder import build, diff_words

A = (
    "We condemn all acts of terrorism as criminal and unjustifiable irrespective of their "
    "motivation."
)
B = (
    "Leaders agreed to strengthen cooperation on disaster relief and emergency preparedness "
    "in Asia."
)
C = "The meeting was held in a warm and friendly atmosphere of mutual understanding."


def test_coverage_of_six_word_runs(index_dir) -> None:
    idx = build(index_dir, [(1, A), (2, B), (3, C)])
    draft = (
        "Ministers condemn all acts of terrorism as criminal and never negotiate. "
        "They agreed to strengthen cooperation on disaster relief and emergency matters. "
        "A short tail."
    )
    cov = idx.coverage(draft)
    # "condemn all acts of terrorism as criminal and" (8) + "agreed to strengthen cooperation
    # on disaster relief and emergency" (9) words are covered
    assert cov.covered_words == 17
    assert cov.words == len(cov.covered)
    assert abs(cov.share - 17 / cov.words) < 1e-9
    src = {s.id: s for s in cov.sources}
    assert set(src) == {1, 2}
    assert src[1].runs == 1 and src[1].words == 8
    assert src[2].words == 9


def test_coverage_ignores_runs_shorter_than_six(index_dir) -> None:
    idx = build(index_dir, [(1, A)])
    cov = idx.coverage("They condemn all acts of violence today and tomorrow.")
    assert cov.covered_words == 0 and cov.sources == []


def test_coverage_respects_allow(index_dir) -> None:
    idx = build(index_dir, [(1, A), (2, A)])
    cov = idx.coverage(A, allow=lambda ids: ids == 2)
    assert [s.id for s in cov.sources] == [2]
    assert cov.share == 1.0


def test_coverage_two_runs_from_one_source(index_dir) -> None:
    idx = build(index_dir, [(1, A + " " + B)])
    draft = "We condemn all acts of terrorism as criminal. Something else entirely. " + B
    cov = idx.coverage(draft)
    assert cov.sources[0].id == 1 and cov.sources[0].runs == 2


def test_diff_words_ops() -> None:
    ops = diff_words(
        "Recognising also that terrorism cannot and should not be associated with any religion",
        "Terrorism can not be and should not be associated with any faith",
    )
    kinds = [o["op"] for o in ops]
    assert kinds[0] == "delete" and ops[0]["query"] == "Recognising also that"
    assert {"op": "equal", "query": "terrorism cannot", "text": "Terrorism can not"} in ops
    assert {"op": "insert", "query": "", "text": "be"} in ops
    assert ops[-1] == {"op": "replace", "query": "religion", "text": "faith"}


def test_diff_spelling_variants_are_equal() -> None:
    ops = diff_words("civilisation and favour", "civilization and favor")
    assert ops == [
        {"op": "equal", "query": "civilisation and favour", "text": "civilization and favor"}
    ]


def test_diff_empty() -> None:
    assert diff_words("", "") == []
    assert diff_words("a b", "") == [{"op": "delete", "query": "a b", "text": ""}]
