"""Comparing two real revisions of the Astana statement (tests/data/text/astana-rev*.txt)."""

from __future__ import annotations

import json

import pytest

from secretariat.negotiation.text import compare, parse, render_compare_html


@pytest.fixture(scope="module")
def cmp(rev1_text, rev2_text):
    return compare(parse(rev1_text), parse(rev2_text))


def _status(cmp, label):
    return [p.status for p in cmp.paragraphs if p.label == label]


def test_paragraph_statuses(cmp):
    assert _status(cmp, "PP1") == ["unchanged"]
    assert _status(cmp, "PP4") == ["changed"]
    assert _status(cmp, "PP7") == ["changed"]
    assert _status(cmp, "PP5e altern.") == ["removed"]
    assert _status(cmp, "PP5f") == ["added"]
    assert "moved" in _status(cmp, "PP11") + _status(cmp, "PP12")
    summary = cmp.summary()
    assert summary["added"] == 1 and summary["removed"] == 1 and summary["moved"] == 1


def test_word_level_diff(cmp):
    pp7 = next(p for p in cmp.paragraphs if p.label == "PP7")
    deleted = [d.text for d in pp7.diff if d.op == "delete"]
    inserted = [d.text for d in pp7.diff if d.op == "insert"]
    assert deleted == ["dialogue, consultations"] and inserted == ["dialogue"]


def test_brackets_opened_and_closed(cmp):
    closed = {(b.label, b.text) for b in cmp.brackets if b.change == "closed"}
    opened = {(b.label, b.text) for b in cmp.brackets if b.change == "opened"}
    assert ("PP5b", "and equal,") in closed
    assert ("PP5b", "and") in closed
    assert any(label == "PP4" and text.startswith(", and contributing") for label, text in closed)
    assert any(label == "(1)" for label, _ in closed)
    assert opened == {("PP5f", "strengthening of")}


def test_positions_that_moved(cmp):
    moves = {(c.delegation, c.label, c.old, c.new) for c in cmp.positions}
    assert ("IND", "PP4", "oppose", "support") in moves
    assert ("ISR", "PP5b", "oppose", "support") in moves
    assert ("ISR", "PP5e", "oppose", "support") in moves
    assert len(moves) == 3
    isr = next(c for c in cmp.positions if c.label == "PP5e")
    assert (isr.old_qualifier, isr.new_qualifier) == (None, "with reservation")


def test_qualifier_change_is_a_position_change():
    old = parse("PP1. Words [x] (+IRAN).")
    new = parse("PP1. Words [x] (+IRAN with reservation).")
    (c,) = compare(old, new).positions
    assert (c.delegation, c.old, c.new, c.new_qualifier) == (
        "IRAN",
        "support",
        "support",
        "with reservation",
    )


def test_compare_json_and_html(cmp):
    data = cmp.to_json()
    json.dumps(data)
    assert data["summary"]["positions_changed"] == 3
    assert {p["status"] for p in data["paragraphs"]} == {
        "unchanged", "changed", "added", "removed", "moved",
    }  # fmt: skip
    html = render_compare_html(cmp)
    assert '<del class="nt-diff-del">dialogue, consultations</del>' in html
    assert "nt-moved" in html and "ISR" in html
    assert "~~" not in html  # the notation's marks are rendered, never shown raw


def test_a_word_diff_renders_struck_and_new_words_brackets_and_positions():
    from secretariat.negotiation.text.compare import render_diff_html

    old = parse("OP3. We also envision our organization as contributing (+CHN).")
    new = parse(
        "OP3. We also [~~envision organization~~ see] (+IND) our organization as "
        "*contributing* (+CHN)."
    )
    (change,) = compare(old, new).paragraphs
    html = render_diff_html(change.diff)
    assert "~~" not in html and "*" not in html and "(+" not in html
    assert '<del class="nt-deleted">envision organization</del>' in html
    assert '<ins class="nt-new">contributing</ins>' in html
    assert html.count('<span class="nt-sign">') == 2
    assert 'aria-label="Supported by India"' in html and 'aria-label="Supported by China"' in html
    assert html.startswith('OP3. We also <del class="nt-diff-del">envision</del>')


def test_identical_drafts_compare_unchanged(corpus_draft):
    cmp = compare(corpus_draft, corpus_draft)
    assert {p.status for p in cmp.paragraphs} == {"unchanged"}
    assert cmp.brackets == [] and cmp.positions == []


def test_unlabelled_paragraphs_matched_by_content():
    old = parse("Title\n\nWe note the [report] (+CHN).\n\nWe thank the hosts.")
    new = parse("Title\n\nWe thank the hosts.\n\nWe note the [report] (-CHN).")
    cmp = compare(old, new)
    assert [p.status for p in cmp.paragraphs].count("moved") == 1
    assert "added" not in [p.status for p in cmp.paragraphs]
    note = next(p for p in cmp.paragraphs if p.old_index == 1)
    assert (note.new_index, note.changed) == (2, True)
    assert [(c.delegation, c.old, c.new) for c in cmp.positions] == [("CHN", "support", "oppose")]
