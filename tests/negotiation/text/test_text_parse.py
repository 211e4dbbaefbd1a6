"""Reading rules of the CICA dialect, registers, diagnostics and the derived views."""

from __future__ import annotations

import gc
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from secretariat.negotiation.text import (
    Register,
    agreed_text,
    delegation_text,
    draft_to_json,
    full_text,
    objections,
    parse,
)
from secretariat.negotiation.text.model import ERROR, INTERNAL, WARNING
from secretariat.negotiation.text.register import DEFAULT_REGISTER_PATH


def test_markers_after_bracket_belong_to_it_others_to_paragraph():
    d = parse("OP1. We agree (+CHN) to [act now] (+IND), (-ISR) together (+RUS).")
    (p,) = d.paragraphs
    (b,) = p.brackets
    assert [(x.delegation, x.stance) for x in b.positions] == [
        ("IND", "support"),
        ("ISR", "oppose"),
    ]
    assert [x.delegation for x in p.positions] == ["CHN", "RUS"]
    assert p.text == "We agree to act now together."
    assert b.text == "act now"


def test_text_between_bracket_and_marker_detaches_it():
    (p,) = parse("OP1. We [act] now (-IND).").paragraphs
    assert p.brackets[0].positions == []
    assert [(x.delegation, x.stance) for x in p.positions] == [("IND", "oppose")]
    assert not p.agreed  # an opposing marker, even without a bracket


def test_aliases_resolve_to_canonical_codes():
    (p,) = parse("PP1. Text [x] (+IRN) (-BGD) (+PRC).").paragraphs
    assert [x.delegation for x in p.brackets[0].positions] == ["IRAN", "BANGL", "CHN"]


def test_unknown_code_kept_with_warning():
    d = parse("PP1. Text [x] (+ZZZ).")
    pos = d.paragraphs[0].brackets[0].positions[0]
    assert pos.delegation == "ZZZ" and not pos.known
    (diag,) = d.diagnostics
    assert diag.severity == "warning" and "ZZZ" in diag.message
    assert (diag.line, diag.column) == (1, 15)


def test_other_register_as_mapping_and_file(tmp_path):
    text = "PP1. Text [x] (+FOO) (-BAR). (FOO: keep)"
    d = parse(text, register={"FOO": "FOO", "BARX": "BAR"})
    assert [x.delegation for x in d.paragraphs[0].brackets[0].positions] == ["FOO", "BAR"]
    assert d.paragraphs[0].notes[0].delegations == ["FOO"]
    assert d.diagnostics == [] or all(x.severity != "error" for x in d.diagnostics)
    reg_file = tmp_path / "reg.json"
    reg_file.write_text(
        json.dumps({"delegations": [{"code": "FOO", "aliases": ["FOOLAND"], "name_en": "Fooland"}]})
    )
    reg = Register.load(reg_file)
    d2 = parse("PP1. [x] (+FOOLAND)", register=reg)
    assert d2.paragraphs[0].brackets[0].positions[0].delegation == "FOO"
    assert reg.name("FOO") == "Fooland"


def test_default_register_is_the_demo_forums_file():
    reg = Register.default()
    assert DEFAULT_REGISTER_PATH.name == "cica_register.json" and DEFAULT_REGISTER_PATH.exists()
    assert reg.resolve("IRN") == "IRAN"
    assert reg.resolve("BGD") == "BANGL"
    assert reg.name("CHN") == "China"


def test_parentheses_that_are_prose_or_labels():
    (p,) = parse("OP2. The Group (SWG) of (CICA) on (CBMs), see (1) and (I).").paragraphs
    assert p.notes == [] and p.positions == []
    assert p.text == "The Group (SWG) of (CICA) on (CBMs), see (1) and (I)."


def test_qualifier_and_grouped_markers():
    (p,) = parse("PP1. [x] (+IRAN with reservation) (+CHN, -IND)").paragraphs
    pos = p.brackets[0].positions
    assert [(x.delegation, x.stance, x.qualifier) for x in pos] == [
        ("IRAN", "support", "with reservation"),
        ("CHN", "support", None),
        ("IND", "oppose", None),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("PP1. Words [never closed (+CHN)", "not closed"),
        ("PP1. Words] stray", "without a matching"),
        ("PP1. Empty [] bracket", "empty bracket"),
    ],
)
def test_malformed_input_gives_diagnostics_not_exceptions(text, message):
    d = parse(text)
    assert any(message in x.message for x in d.diagnostics)
    assert all(x.line == 1 and x.column >= 1 for x in d.diagnostics)
    assert d.paragraphs[0].label == "PP1"


def test_unclosed_bracket_reports_its_opening_position():
    d = parse("Title\n\nPP1. Words\n[never closed")
    (diag,) = d.diagnostics
    assert (diag.line, diag.column, diag.severity) == (4, 1, "error")


def test_new_and_deleted_spans():
    (p,) = parse("PP1. Keep *added words* and ~~gone words~~ here.").paragraphs
    styles = [(n.text, n.style) for n in p.content if n.style != "plain"]
    assert styles == [("added words", "new"), ("gone words", "deleted")]
    assert p.text == "Keep added words and gone words here."


def test_labels_and_kinds():
    text = "PP4. a.\n\nOP5. b:\n\n(1) c.\n\n13. d.\n\n- e) f.\n\nPP5e altern. g."
    got = [(p.label, p.kind, p.alternative_of) for p in parse(text).paragraphs]
    assert got == [
        ("PP4", "preambular", None),
        ("OP5", "operative", None),
        ("(1)", "item", None),
        ("13.", "item", None),
        ("e)", "item", None),
        ("PP5e altern.", "preambular", "PP5e"),
    ]


def test_paragraph_split_by_blank_line_is_rejoined_when_continued():
    d = parse("PP1. The words go on\n\nand finish here.\n\nPP2. Next.")
    assert [p.label for p in d.paragraphs] == ["PP1", "PP2"]
    assert d.paragraphs[0].text == "The words go on and finish here."


SAMPLE = (
    "PP1. Agreed words;\n\n"
    "PP2. Base [extra words] (+CHN) (-IND) and [more [inner] (-CHN)] (+RUS) end; (IND: later)\n\n"
    "[PP3. Whole paragraph.] (-CHN) (+IND)\n\n"
    "OP1. We ~~strike~~ *add* this (-RUS)."
)


def test_views():
    d = parse(SAMPLE)
    assert agreed_text(d) == "PP1. Agreed words;\n\nPP2. Base and end;\n\nOP1. We add this.\n"
    assert full_text(d).splitlines()[2] == "PP2. Base extra words and more inner end;"
    chn = delegation_text(d, "CHN")
    assert "PP2. Base extra words and more end;" in chn
    assert "PP3" not in chn
    ind = delegation_text(d, "IND")
    assert "PP2. Base and more inner end;" in ind and "PP3. Whole paragraph." in ind
    assert "OP1" not in delegation_text(d, "RUS")  # it opposes the paragraph
    assert delegation_text(d, "PRC") == chn  # an alias of CHN
    assert objections(d) == {"CHN": 2, "IND": 1, "RUS": 1}


def test_json_shape():
    data = draft_to_json(parse(SAMPLE))
    assert set(data) == {"paragraphs", "diagnostics"}
    p2 = data["paragraphs"][1]
    assert set(p2) == {
        "label", "kind", "alternative_of", "text", "agreed", "brackets", "positions", "options",
        "notes",
    }  # fmt: skip
    assert p2["brackets"][2] == {
        "id": p2["brackets"][2]["id"],
        "parent": p2["brackets"][1]["id"],
        "text": "inner",
        "positions": [{"delegation": "CHN", "stance": "oppose", "qualifier": None}],
        "options": [],
    }
    assert p2["notes"] == [{"delegations": ["IND"], "text": "later"}]
    json.dumps(data)  # serialisable as is


def test_bracket_ids_are_stable_and_unique(corpus_text):
    a = [b.id for b in parse(corpus_text).all_brackets()]
    b = [b.id for b in parse(corpus_text).all_brackets()]
    assert a == b and len(set(a)) == len(a)


@pytest.mark.parametrize(
    "text", ["", "\n\n", "]]]", "[[[", "((((+", "(+", "*", "~~", "PP1.", "[PP1.", "\x00\r\n]"]
)
def test_parse_never_raises_on_odd_input(text):
    d = parse(text)
    # ``parse`` catches every exception and reports it as an INTERNAL diagnostic: a bug
    # would hide there, so none may appear; every other diagnostic points into the text.
    assert [x for x in d.diagnostics if x.severity == INTERNAL] == []
    assert all(x.severity in (ERROR, WARNING) and x.line >= 1 for x in d.diagnostics)


class _BrokenRegister(dict):
    def items(self):
        raise RuntimeError("boom")


def test_an_engine_fault_is_an_internal_diagnostic_not_an_exception():
    d = parse("PP1. Text.", register=_BrokenRegister(x="y"))
    assert d.paragraphs == []
    assert [(x.severity, x.message) for x in d.diagnostics] == [
        (INTERNAL, "internal parser error: RuntimeError('boom')")
    ]


@pytest.mark.parametrize("enabled", [True, False])
def test_parse_leaves_the_garbage_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        parse("PP1. [Text] (+CHN).")
        assert gc.isenabled() is enabled
        parse("PP1. Text.", register=_BrokenRegister(x="y"))  # the failing path too
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_concurrent_parses_leave_the_garbage_collector_on(corpus_text):
    assert gc.isenabled()
    with ThreadPoolExecutor(max_workers=4) as pool:
        drafts = list(pool.map(parse, [corpus_text] * 8))
    assert gc.isenabled()
    assert {len(d.paragraphs) for d in drafts} == {191}


def test_absurdly_deep_nesting_is_reported_and_kept_as_text():
    text = "OP1. " + "[a " * 80 + "x" + " b]" * 80
    d = parse(text)
    assert [x.message for x in d.diagnostics] == ["brackets nested too deeply"]
    assert len(d.paragraphs[0].brackets) == 50
    from secretariat.negotiation.text import render_html, render_notation

    assert " ".join(render_notation(d).split()) == " ".join(text.split())
    assert render_html(d).count('class="nt-bracket"') == 50


def test_stray_and_malformed_markers_are_warnings():
    d = parse("(+CHN) PP text here (+) and (-ish) words.")
    messages = [x.message for x in d.diagnostics]
    assert messages == [
        "position marker before any text",
        "malformed position marker '(+)'",
        "malformed position marker '(-ish)'",
    ]
    assert [x.column for x in d.diagnostics] == [1, 21, 29]
    assert [p.delegation for p in d.paragraphs[0].positions] == ["CHN"]


def test_markers_separated_by_spaces_inside_one_parenthesis():
    (p,) = parse("PP1. [x] (+CHN +RUS -IND)").paragraphs
    assert [(x.delegation, x.stance) for x in p.brackets[0].positions] == [
        ("CHN", "support"),
        ("RUS", "support"),
        ("IND", "oppose"),
    ]
    assert render_notation_text(p) == "PP1. [x] (+CHN +RUS -IND)"


def render_notation_text(p):
    from secretariat.negotiation.text import render_paragraph_notation

    return render_paragraph_notation(p)
