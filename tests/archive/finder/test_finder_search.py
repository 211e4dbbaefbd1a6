"""Retrieval: verbatim, edited, reordered, embedded; the acceptance example; allow filter."""

from __future__ import annotations

import numpy as np
import pytest
from finder_testdata import corpus_paragraphs

from secretariat.archive.finder import PRECEDENT_THRESHOLD, FinderIndex, build

CICA_2006 = (
    "Terrorism can not be and should not be associated with any religion, nationality, "
    "civilization or ethnic group."
)
ASEM_2002_PREFIX = "Our cooperation will build upon the unique ASEM dialogue"
QUERY = (
    "Recognising also that terrorism cannot and should not be associated with any religion, "
    "nationality, civilisation or ethnic group"
)


@pytest.fixture(scope="module")
def corpus() -> list[tuple[int, str]]:
    texts: list[str] = []
    for name in (
        "asem-2002-copenhagen-declaration-terrorism.txt",
        "cica-2006-almaty-summit-declaration.txt",
        "asem-2004-hanoi-declaration-cultures.txt",
        "asem-2006-helsinki-declaration-future.txt",
    ):
        texts += corpus_paragraphs(name)
    # the 2022 draft contains the query verbatim: leave it out so the test means something
    seen: set[str] = set()
    out = []
    for t in texts:
        if t not in seen and "Recognising also that terrorism" not in t:
            seen.add(t)
            out.append((1000 + len(out), t))
    return out


@pytest.fixture(scope="module")
def index(corpus, tmp_path_factory) -> FinderIndex:
    return build(str(tmp_path_factory.mktemp("idx")), corpus)


def _id_of(corpus, prefix: str) -> int:
    return next(i for i, t in corpus if t.startswith(prefix))


def test_corpus_is_a_real_test(corpus) -> None:
    assert len(corpus) >= 40
    assert any(t == CICA_2006 for _, t in corpus)
    assert any(t.startswith(ASEM_2002_PREFIX) for _, t in corpus)


def test_acceptance_example(index, corpus) -> None:
    res = index.search(QUERY, k=5)
    ids = [m.id for m in res]
    assert _id_of(corpus, CICA_2006) in ids[:3]
    assert _id_of(corpus, ASEM_2002_PREFIX) in ids[:5]
    top = res[0]
    assert top.id == _id_of(corpus, CICA_2006)
    assert top.is_precedent and 0.0 <= top.score <= 1.0


def test_verbatim_scores_one(index, corpus) -> None:
    pid, text = corpus[10]
    res = index.search(text, k=3)
    assert res[0].id == pid
    assert res[0].score == pytest.approx(1.0, abs=1e-6)


def test_edited_paragraph_is_found(index, corpus) -> None:
    pid, text = next((i, t) for i, t in corpus if len(t.split()) > 25)
    words = text.split()
    words[3] = "utterly"  # substitution
    del words[8:10]  # deletion
    words.insert(15, "furthermore")  # insertion
    res = index.search(" ".join(words), k=3)
    assert res[0].id == pid
    assert res[0].is_precedent


def test_reordered_clauses_are_found(index, corpus) -> None:
    pid, text = next((i, t) for i, t in corpus if t.count(",") >= 3 and len(t.split()) > 20)
    clauses = text.rstrip(".").split(",")
    reordered = ",".join(clauses[1:] + clauses[:1])
    res = index.search(reordered, k=3)
    assert res[0].id == pid
    assert res[0].is_precedent


def test_sentence_embedded_in_longer_paragraph(index, corpus) -> None:
    # a single sentence taken from the middle of a long paragraph scores as a precedent
    pid, text = next(
        (i, t)
        for i, t in corpus
        if t.startswith("1.We, the ASEM Leaders") or "Terrorism not only endangers" in t
    )
    sentence = (
        "Terrorism not only endangers the lives of innocents, but also threatens the very "
        "foundations upon which our societies are built."
    )
    assert sentence in text
    res = index.search(sentence, k=3)
    assert res[0].id == pid
    assert res[0].score > 0.85


def test_tighter_match_ranks_first(tmp_path) -> None:
    short = "We condemn all acts of terrorism as criminal and unjustifiable."
    long_ = short + " We also discussed the budget of the organisation for the next year at length."
    idx = build(str(tmp_path / "i"), [(1, long_), (2, short)])
    res = idx.search(short, k=2)
    assert [m.id for m in res] == [2, 1]
    assert res[1].score > 0.85  # the longer paragraph still counts as a precedent


def test_unrelated_sentence_has_no_precedent(index) -> None:
    q = "The quarterly fishing quota for mackerel in the northern bay was raised by fishermen."
    res = index.search(q, k=5)
    assert all(not m.is_precedent for m in res)
    assert index.search(q, k=5, min_score=PRECEDENT_THRESHOLD) == []


def test_empty_query(index) -> None:
    assert index.search("", k=5) == []
    assert index.search("...", k=5) == []


def test_allow_filter_never_leaks_and_still_fills_k(index, corpus) -> None:
    allowed = {i for i, _ in corpus if i % 3 == 0}

    def allow(ids: np.ndarray) -> np.ndarray:
        assert ids.dtype == np.int64
        return np.array([int(i) in allowed for i in ids], bool)

    for _, text in corpus[:15]:
        res = index.search(text, k=5, allow=allow)
        assert res and all(m.id in allowed for m in res)
        assert len(res) == 5


def test_allow_filter_keeps_best_allowed(index, corpus) -> None:
    cica = _id_of(corpus, CICA_2006)
    res = index.search(QUERY, k=3, allow=lambda ids: ids != cica)
    assert cica not in [m.id for m in res]
    assert _id_of(corpus, ASEM_2002_PREFIX) in [m.id for m in res]


def test_allow_nothing(index) -> None:
    assert index.search(QUERY, k=5, allow=lambda ids: np.zeros(len(ids), bool)) == []


def test_cyrillic_paragraphs(tmp_path) -> None:
    idx = build(
        str(tmp_path / "i"),
        [
            (1, "Государства-члены СВМДА осуждают терроризм во всех его формах и проявлениях."),
            (
                2,
                "Қазақстан Республикасы Азиядағы өзара іс-қимыл және сенім шаралары "
                "кеңесін қолдайды.",
            ),
            (3, "Члены совещания приветствуют развитие экономического сотрудничества в Азии."),
        ],
    )
    assert idx.search("осуждают терроризм во всех формах и проявлениях", k=1)[0].id == 1
    assert idx.search("ҚАЗАҚСТАН Республикасы сенім шаралары кеңесін", k=1)[0].id == 2


def test_edited_sentence_inside_long_paragraph_is_a_precedent(tmp_path) -> None:
    para = (
        "The Ministers reviewed the work of the forum since the last summit. "
        "They welcomed the adoption of the plan of action on disaster risk reduction and "
        "emergency response in the region. "
        "They took note of the report of the secretariat on budgetary matters. "
        "They agreed to meet again in Astana next year."
    )
    other = "The Ministers agreed to meet again next year and took note of the budget report."
    idx = build(str(tmp_path / "i"), [(1, para), (2, other)])
    q = "We welcome the adoption of the plan of action on disaster risk reduction in the region"
    res = idx.search(q, k=2)
    assert res[0].id == 1
    assert res[0].is_precedent
