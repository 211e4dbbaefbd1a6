"""UN option blocks and unbalanced brackets, against a reading of the source by hand.

Ground truth: the UNFCCC draft agreement of 4 December 2015
(``demo/corpus/extra/unfccc_adp_draft_agreement_2015-12-04.txt``), read page by page with
``sed -n``. Line numbers are those of that file. An *option block* is what a reader sees as one
alternative of a choice: a label ``Option 1:``, ``Option I``, ``Option (b)(i):``,
``Option 2 alt.``... at the start of a line (or after a paragraph label or a ``[``), whatever
follows it. A *genuine* unbalanced bracket is one a reader counting the signs of its own
paragraph (or of the bracketed section it opens) finds without a partner.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.negotiation.text import Draft, draft_to_json, parse, render_notation

# (first line, last line) -> option labels a reader sees there (compared as a multiset).
# fmt: off
PARIS_OPTIONS: dict[tuple[int, int], list[str]] = {
    # Page 2-3, Articles 2 and 2bis: label lines heading whole paragraphs, "No text" siblings.
    (97, 146): ["Option I", "Option II", "Option I", "Option II"],
    # Pages 3-6, Article 3: nested sets, footnote 1's four options (lines 212-215), the label
    # "Option 167" (option 1 + footnotes 6 and 7, line 240), "Option I"/"Option II" with no
    # colon alone on their lines (239, 244), options whose words start on the next line.
    (147, 300): [
        "Option I",
        "Option II",
        "Option (a)",
        "Option (b)",
        "Option 1",
        "Option 2",
        "Option 3",
        "Option 4",
        "Option 1",
        "Option 2",
        "Option 3",
        "Option 4",
        "Option 5",
        "Option I",
        "Option 1",
        "Option 2",
        "Option II",
        "Option 1",
        "Option 2",
        "Option 1",
        "Option 2",
        "Option 1",
        "Option 2",
    ],
    # Page 7, Article 3 paragraph 10: "Option 3:" alone over items (a), (b), (i)-(v).
    (302, 345): ["Option 1", "Option 2", "Option 3", "Option 4", "Option 5"],
    # Page 26: "Option I (paragraphs 21-21quinqiues):" and colonless "Option I"/"Option II".
    (1400, 1449): [
        "Option I",
        "Option II",
        "Option 1",
        "Option 2",
        "Option I",
        "Option 1",
        "Option 2",
        "Option II",
    ],
    # Page 37: options inside options after item labels: "(a) Option (a):", "Option (b)(i):".
    (1960, 1985): [
        "Option 1",
        "Option (a)",
        "Option (b)(i)",
        "Option (b)(ii)",
        "Option (a)",
        "Option (b)",
        "Option 2",
    ],
    # Page 46: "Option 2 alt. (paragraph 140)" with no colon.
    (2539, 2550): ["Option 2", "Option 2 alt."],
}

# fmt: on

# (first line, last line) -> (line, kind) of every genuine unbalanced sign there.
PARIS_BRACKETS: dict[tuple[int, int], list[tuple[int, str]]] = {
    # Preamble Pp11 and Pp14: each ends with one "]" more than it opens (",]" and ",]]").
    (44, 66): [(50, "]"), (65, "]")],
    (97, 146): [(126, "]")],  # "equity].]]": one "]" more than paragraph 2 and "[1." open
    (147, 300): [
        (155, "["),  # "[toward [climate neutrality][decarbonization]" never closed
        (171, "]"),  # "its [NDMCs*][INDC]]." one "]" too many
        (200, "["),  # "[based on common but differentiated ..." never closed
        (250, "["),  # "[[communicate its [successive] [new]]": the outer "[" stays open
        (256, "["),  # "[finalization [inscriptions]" never closed
    ],
    # "22. Option 1: [Decides]... Agreement;] Option 2:": the "]" ends option 1 with no "["
    # of its own; it cannot close "[The Conference of the Parties," opened at line 1322.
    (1400, 1449): [(1426, "]")],
    (302, 345): [
        (308, "["),  # "[The rules and guidance related to the tracking ..." never closed
        (315, "["),  # the same words again in option 3 (a), with the same slip
    ],
    (1960, 1985): [],
    (2539, 2550): [],
}

# Where the engine still reads otherwise than the reader (kept as strict xfail below).
PARIS_BRACKETS_DISPUTED: dict[tuple[int, int], list[tuple[int, str]]] = {
    # Paragraph 95 ends with "[by:" over items (a)-(k), closed by "(k) ... [and/or network]. ]"
    # (line 2069); item (e) has one "]" too many ("knowhow]];", line 2056). The engine lets
    # (e)'s extra "]" close "[by:" and then finds (k)'s "]" without a partner.
    (2038, 2074): [(2042, "]"), (2048, "["), (2049, "["), (2056, "]")],
}

_LABEL_LINE = re.compile(r"^\s*(?:[\w.()]+\s+)?\[?\s*Option\b(?!s)")


def _options_by_paragraph(draft: Draft, first: int, last: int) -> list[str]:
    labels: list[str] = []
    for p in draft.paragraphs:
        if first <= p.line <= last:
            labels += [o.label for o in p.options if o.label]
            labels += [o.label for b in p.brackets for o in b.options if o.label]
    return labels


def _errors(draft: Draft, first: int, last: int) -> list[tuple[int, str]]:
    out = []
    for d in draft.diagnostics:
        if d.severity == "error" and first <= d.line <= last:
            out.append((d.line, "]" if "without" in d.message else "["))
    return out


@pytest.fixture(scope="module")
def paris(paris_text: str) -> Draft:
    return parse(paris_text)


@pytest.mark.parametrize("span", list(PARIS_OPTIONS))
def test_every_option_block_of_a_page_is_an_option(paris, span):
    assert Counter(_options_by_paragraph(paris, *span)) == Counter(PARIS_OPTIONS[span])


@pytest.mark.parametrize("span", list(PARIS_BRACKETS))
def test_only_genuine_unbalanced_brackets_of_a_page(paris, span):
    assert _errors(paris, *span) == PARIS_BRACKETS[span]


@pytest.mark.xfail(strict=True, reason="the first extra ']' after a list's '[' closes it")
@pytest.mark.parametrize("span", list(PARIS_BRACKETS_DISPUTED))
def test_disputed_brackets(paris, span):
    assert _errors(paris, *span) == PARIS_BRACKETS_DISPUTED[span]


def test_whole_paris_text_every_label_line_is_an_option(paris, paris_text):
    # 180 lines say "Option"; two are not labels: "Options include:" (211) and
    # "{under discussion in tandem with 99 Option 1}" (987). Before: 49 options read.
    lines = [no for no, ln in enumerate(paris_text.splitlines(), 1) if _LABEL_LINE.match(ln)]
    assert len(lines) == 178
    options = [o for p in paris.paragraphs for o in p.options if o.label]
    options += [o for b in paris.all_brackets() for o in b.options if o.label]
    assert len(options) == 178


def test_option_text_and_label_normalised(paris):
    (p,) = [p for p in paris.paragraphs if p.label == "8." and p.line == 240]
    assert [(o.label, o.text[:24]) for o in p.options] == [
        ("Option 1", "Each Party’s first NDMC*"),  # written "Option 167:"
        ("Option 2", "Each Party shall should "),
    ]
    alt = next(p for p in paris.paragraphs if p.line == 2548)
    assert [(o.label, o.text) for o in alt.options] == [("Option 2 alt.", "")]


def test_label_line_heads_the_paragraphs_up_to_its_sibling(paris):
    # Article 2: "Option I:" (102) over paragraphs 1, (a), (b), (c) and 2; "Option II: No text".
    i = next(i for i, p in enumerate(paris.paragraphs) if p.line == 102)
    head = paris.paragraphs[i]
    (option,) = head.options
    assert option.label == "Option I"
    covered = [paris.paragraphs[k] for k in option.paragraphs]
    assert [p.label for p in covered] == ["1.", "(a)", "(b)", "(c)", "2."]
    assert paris.paragraphs[option.paragraphs[-1] + 1].options[0].label == "Option II"
    assert not any(p.agreed for p in covered)  # a choice still open: nothing agreed in it


def test_option_words_on_the_next_line_belong_to_it(paris):
    p = next(p for p in paris.paragraphs if p.label == "13." and p.line == 365)
    assert [o.label for o in p.options] == ["Option 1", "Option 2"]
    assert p.options[0].text.startswith("Parties shall give full consideration")
    assert p.options[1].text == "No text"


def test_references_to_options_are_not_labels():
    d = parse("10. Parties shall act as in Option 1 above.\n\n11. See Option (a) and Option II.")
    assert not any(p.options for p in d.paragraphs)
    assert "Option 1 above" in d.paragraphs[0].text


@pytest.mark.parametrize(
    "raw, label",
    [
        ("Option 1 bis.: Text.", "Option 1bis"),
        ("Option5 bis: Text.", "Option 5bis"),
        ("Option (d) bis: Text.", "Option (d)bis"),
        ("Option ii: Text.", "Option ii"),
        ("Option 1 (chapeau): Text.", "Option 1"),
        ("Option 1 : Text.", "Option 1"),
        ("[Option 2: No text.]", "Option 2"),
    ],
)
def test_label_variants(raw, label):
    d = parse(f"Article 3\n\n5. Parties shall:\n\n{raw}", dialect="un")
    labels = [o.label for p in d.paragraphs for o in p.options]
    labels += [o.label for b in d.all_brackets() for o in b.options]
    assert labels == [label]


def test_unclosed_bracket_stays_in_its_paragraph():
    text = (
        "1. Parties shall [act [now] and report.\n\n"
        "2. Parties shall [review] annually.\n\n"
        "3. Parties shall [cooperate].]"
    )
    d = parse(text, dialect="un")
    errors = [(x.line, x.column, x.message) for x in d.diagnostics if x.severity == "error"]
    assert errors == [(1, 18, "'[' not closed"), (5, 30, "']' without a matching '['")]
    assert [b.text for b in d.paragraphs[1].brackets] == ["review"]
    assert _ws(render_notation(d)) == _ws(text)


def test_bracket_over_a_list_after_a_lead_in_is_one_bracket():
    text = "5. Parties shall [, inter alia:\n\n(a) Act;\n\n(b) Report.]\n\n6. Next."
    d = parse(text, dialect="un")
    assert not d.diagnostics
    assert [(s.first, s.last) for s in d.spans] == [(0, 2)]


def _ws(s: str) -> str:
    return " ".join(s.split())


# -- random option blocks survive render -> parse ------------------------------------------

_words = st.lists(
    st.text(alphabet="abcdefghiklmnoprstuvw", min_size=1, max_size=7), min_size=1, max_size=5
).map(" ".join)
_ids = st.sampled_from(
    [
        ("1", "2", "3"),
        ("I", "II", "III"),
        ("(a)", "(b)", "(c)"),
        ("i", "ii", "iii"),
        ("1 bis", "2 bis", "3 bis"),
    ]
)


@st.composite
def _option_set(draw: st.DrawFn, n: int) -> tuple[str, list[str]]:
    ids = draw(_ids)
    count = draw(st.integers(min_value=2, max_value=3))
    bracketed = draw(st.booleans())
    lines, labels = [], []
    for k in range(count):
        body = draw(st.one_of(_words.map(lambda w: f"Parties {w}."), st.just("No text")))
        line = f"Option {ids[k]}: {body}"
        lines.append(f"[{line}]" if bracketed else line)
        labels.append("Option " + ids[k].replace(" ", ""))
    lead = draw(st.sampled_from([f"{n}. ", ""]))
    return lead + "\n".join(lines), labels


@st.composite
def _options_draft(draw: st.DrawFn) -> tuple[str, list[str]]:
    parts, labels = [], []
    headings = ["(PURPOSE)", "(MITIGATION)", "(FINANCE)"]  # alike lines would be page headers
    for n in range(1, draw(st.integers(min_value=1, max_value=3)) + 1):
        text, names = draw(_option_set(n))
        parts.append(f"Article {n} {headings[n - 1]}\n\n{text}")
        labels += names
    return "\n\n".join(parts) + "\n", labels


def _labels(draft: Draft) -> list[str]:
    out = []
    for p in draft.paragraphs:
        out += [o.label for o in p.options if o.label]
        out += [o.label for b in p.brackets for o in b.options if o.label]
    return out


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_options_draft())
def test_random_option_blocks_survive_render_then_parse(case):
    text, labels = case
    draft = parse(text, dialect="un")
    assert not draft.diagnostics, draft.diagnostics
    assert _labels(draft) == labels
    rendered = render_notation(draft)
    assert _ws(rendered) == _ws(text)
    again = parse(rendered, dialect="un")
    assert draft_to_json(again) == draft_to_json(draft)


def test_geneva_text_reads_more_options_and_every_label_is_one(geneva_text):
    from secretariat.negotiation.text.model import OptionLabel

    d = parse(geneva_text)
    labels = [n for p in d.paragraphs for n in p.walk() if isinstance(n, OptionLabel)]
    options = [o for p in d.paragraphs for o in p.options if o.label]
    options += [o for b in d.all_brackets() for o in b.options if o.label]
    # Before: 481 labels tokenised, 443 of them options ("Option 1 bis.:", "Option5 bis:",
    # "Option (d) bis:", "Option 1 (chapeau):", colonless "Option 2" lines were missed).
    assert len(labels) == len(options) == 518
    assert sum(1 for _ in d.all_brackets()) == 1273  # unchanged


def test_json_gives_each_option_its_label_and_paragraphs():
    text = (
        "Article 2 (PURPOSE)\n\nOption I:\n\n1. Parties act.\n\n2. Parties report.\n\n"
        "Option II: No text\n"
    )
    data = draft_to_json(parse(text, dialect="un"))
    options = [o for p in data["paragraphs"] for o in p["options"]]
    assert options == [
        {"text": "", "positions": [], "label": "Option I", "paragraphs": [2, 3]},
        {"text": "No text", "positions": [], "label": "Option II", "paragraphs": []},
    ]
    assert [p["agreed"] for p in data["paragraphs"]] == [True, False, False, False, False]
