"""Title lines and headings are told apart from negotiable paragraphs (issue 15, item 7)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from secretariat.negotiation.text import Level, heading_levels, parse, render_html

TEXTS = Path(__file__).resolve().parents[3] / "src/secretariat/negotiation/demo_texts"


def _levels(text: str) -> list[tuple[str, Level]]:
    draft = parse(text)
    levels = heading_levels(draft)
    return [(p.text, level) for p, level in zip(draft.paragraphs, levels, strict=True)]


def test_the_podium_versions_two_title_lines_are_titles_and_the_rest_text():
    draft = parse((TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8"))
    levels = heading_levels(draft)
    assert len(levels) == len(draft.paragraphs)
    titles = [p.text for p, lv in zip(draft.paragraphs, levels, strict=True) if lv is Level.TITLE]
    assert titles == [
        "PODIUM VERSION AS OF COB, 4 OCTOBER 2022",
        "DRAFT ASTANA STATEMENT ON CICA TRANSFORMATION",
    ]
    # Every labelled paragraph (PP1..., OP1..., (1)...) is text.
    assert all(lv is Level.TEXT for p, lv in zip(draft.paragraphs, levels, strict=True) if p.label)


def test_the_plan_of_actions_pillars_are_headings_and_its_title_a_title():
    draft = parse((TEXTS / "plan-of-action.txt").read_text(encoding="utf-8"))
    levels = heading_levels(draft)
    pairs = zip(draft.paragraphs, levels, strict=True)
    headings = [p.text[:10] for p, lv in pairs if lv is Level.HEADING]
    assert headings == ["Pillar I: ", "Pillar II:", "Pillar III", "Pillar IV:"]
    assert levels[0] is Level.TITLE
    assert sum(1 for lv in levels if lv is Level.TEXT) == len(draft.paragraphs) - 5


def test_numbered_section_headings_are_headings_but_a_numbered_list_is_not():
    text = "\n\n".join(
        [
            "1. Background",
            "The pandemic has changed the world.",
            "2. Proposed initiatives",
            "1. Adoption of the Statement.",
            "2. Holding a workshop.",
        ]
    )
    assert [lv for _t, lv in _levels(text)] == [
        Level.HEADING,
        Level.TEXT,
        Level.HEADING,
        Level.TEXT,
        Level.TEXT,
    ]
    listed = "Countries:\n\n1. Afghanistan\n\n2. Azerbaijan\n\n3. China"
    assert [lv for _t, lv in _levels(listed)] == [Level.TEXT] * 4


def test_an_all_caps_title_before_the_first_paragraph_is_a_title_later_a_heading():
    text = "DRAFT STATEMENT\n\nPP1. Recalling our work;\n\nCHAPTER TWO\n\nOP1. Decides to act."
    assert [lv for _t, lv in _levels(text)] == [
        Level.TITLE,
        Level.TEXT,
        Level.HEADING,
        Level.TEXT,
    ]


def test_a_bracketed_or_positioned_line_is_never_a_heading():
    text = "[DRAFT STATEMENT] (-CHN)\n\n1. Background (+IND)\n\nThe text."
    assert [lv for _t, lv in _levels(text)] == [Level.TEXT, Level.TEXT, Level.TEXT]


def test_titles_render_as_h2_and_headings_as_h3_without_bold_stars():
    html = render_html(parse("**DRAFT STATEMENT**\n\nPP1. Text;\n\nPillar I: Measures\n\nOP1. Do."))
    assert '<h2 class="nt-title">DRAFT STATEMENT</h2>' in html
    assert '<h3 class="nt-heading">Pillar I: Measures</h3>' in html
    assert "**" not in html


_line = st.text(alphabet=st.sampled_from(list("ABCDEFGabcdefg 1234567890.,;:[]()+-*")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, max_size=8))
def test_levels_cover_every_paragraph_and_never_mark_a_bracket_as_heading(lines):
    draft = parse("\n\n".join(lines))
    levels = heading_levels(draft)
    assert len(levels) == len(draft.paragraphs)
    for p, lv in zip(draft.paragraphs, levels, strict=True):
        if lv is not Level.TEXT:
            assert not p.brackets and not p.positions
    # A title never comes after a paragraph of text.
    seen_text = False
    for lv in levels:
        if lv is Level.TEXT:
            seen_text = True
        assert not (seen_text and lv is Level.TITLE)
