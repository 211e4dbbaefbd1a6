"""Bidi controls in negotiated text are shown as visible tokens, never applied, on every page
that renders the text: the workspace, the podium, the revisions, the comparison, the sheet."""

from __future__ import annotations

import pytest

from secretariat.negotiation import actions

pytestmark = pytest.mark.django_db

RLO, LRI, RLM = "\u202e", "\u2066", "\u200f"

TEXT = f"""DRAFT

PP1. We agree to {RLO}tnemeerga on{LRI} the text [in full] (+CHN) (-IND);{RLM}

OP1. We launch the process.
"""


def _pages(neg) -> list[str]:
    base = f"/negotiations/{neg.pk}/"
    return [
        base,
        base + "p/PP1/",
        base + "podium/",
        base + "podium/text/",
        base + "revisions/1/",
        base + "revisions/2/",
        base + "compare/?a=1&b=2",
        base + "source/",
        base + "sheet/",
    ]


def test_bidi_controls_are_shown_not_applied(start_negotiation, forum, client_for):
    neg = start_negotiation(TEXT)
    actions.do_propose_amendment(
        neg,
        paragraph_key="PP1",
        kind="new_paragraph",
        text=f"Also {RLO}this{RLM}.",
        code="IND",
        actor=forum["ind"],
    )
    chair = client_for("chair")
    client_for("ind").post(f"/negotiations/{neg.pk}/p/PP1/comment/", {"text": f"Why {RLO}?"})
    for url in _pages(neg):
        r = chair.get(url)
        assert r.status_code == 200, url
        page = r.content.decode()
        assert "&lt;U+202E&gt;" in page, url
        assert not [c for c in (RLO, LRI, RLM) if _outside_form_fields(page, c)], url


def _outside_form_fields(page: str, char: str) -> bool:
    """Is `char` anywhere but inside a form field's value (kept raw, so edits round-trip)?"""
    import re

    stripped = re.sub(r'value="[^"]*"', "", page)
    stripped = re.sub(r"<textarea[^>]*>.*?</textarea>", "", stripped, flags=re.S)
    return char in stripped


def test_the_engines_html_shows_the_tokens():
    from secretariat.negotiation.text.parser import parse
    from secretariat.negotiation.text.render_html import render_html

    html = render_html(parse(f"PP1. A {RLO}b [c{LRI}] (+CHN);\n"))
    assert RLO not in html and LRI not in html
    assert "&lt;U+202E&gt;" in html and "&lt;U+2066&gt;" in html
