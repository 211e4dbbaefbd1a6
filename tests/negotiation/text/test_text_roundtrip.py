"""Notation round trips: the corpus, and random drafts (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.negotiation.text import draft_to_json, parse, render_notation
from secretariat.negotiation.text.model import INTERNAL
from secretariat.negotiation.text.render_notation import render_paragraph_notation
from secretariat.negotiation.text.testing import draft_text, un_draft_text


def _ws(s: str) -> str:
    return " ".join(s.split())


def test_corpus_renders_back_to_its_input(corpus_text, corpus_draft):
    assert _ws(render_notation(corpus_draft)) == _ws(corpus_text)


def test_each_corpus_paragraph_renders_back(corpus_draft, corpus_text):
    flat = _ws(corpus_text)
    for p in corpus_draft.paragraphs:
        assert _ws(render_paragraph_notation(p)) in flat


def test_corpus_reparse_is_identical(corpus_draft):
    again = parse(render_notation(corpus_draft))
    # Paragraphs identical; diagnostics too, but on the rendered file's line numbers.
    assert draft_to_json(again)["paragraphs"] == draft_to_json(corpus_draft)["paragraphs"]
    assert [d.message for d in again.diagnostics] == [d.message for d in corpus_draft.diagnostics]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draft_text())
def test_random_drafts_survive_render_then_parse(text):
    draft = parse(text)
    assert not draft.diagnostics, draft.diagnostics
    rendered = render_notation(draft)
    assert _ws(rendered) == _ws(text)
    again = parse(rendered)
    assert draft_to_json(again) == draft_to_json(draft)
    assert render_notation(again) == rendered


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.text(alphabet=st.sampled_from(list("[](){}*~+-,:;. \nabPOC1HNID/"))), st.text())
)
def test_parse_never_raises(text):
    draft = parse(text)
    assert not [d for d in draft.diagnostics if d.severity == INTERNAL], draft.diagnostics
    render_notation(draft)  # every parsed draft can be written back
    for d in draft.diagnostics:
        assert d.line >= 1 and d.column >= 1


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]()+-/;: \nabUSG7Option1delete")), max_size=200))
def test_parse_never_raises_un_dialect(text):
    draft = parse(text, dialect="un")
    assert not [d for d in draft.diagnostics if d.severity == INTERNAL], draft.diagnostics
    render_notation(draft)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(un_draft_text())
def test_random_un_drafts_survive_render_then_parse(text):
    draft = parse(text, dialect="un")
    assert not [d for d in draft.diagnostics if d.severity == "error"], draft.diagnostics
    rendered = render_notation(draft)
    assert _ws(rendered) == _ws(text)
    again = parse(rendered, dialect="un")
    assert draft_to_json(again) == draft_to_json(draft)
    # Every attribution name was read as a position of its option or bracket.
    names = sum(text.count(name) for name in ("US", "EU", "G77", "Canada", "Japan", "AOSIS"))
    assert sum(1 for _ in draft.all_positions()) == names
