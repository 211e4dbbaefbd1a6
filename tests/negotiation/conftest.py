"""Fixtures of the negotiation tests: negotiations started through the real import action."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

TEXTS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "negotiation" / "demo_texts"


@pytest.fixture
def start_negotiation(forum) -> Callable:
    """start_negotiation(text, body="SWG") -> a Negotiation imported by the secretariat."""
    from secretariat.negotiation.actions import do_import_negotiation

    def start(text: str, body: str = "SWG", title: str = "Draft statement"):
        # The forum's own body for a CICA one (`forum_cast`): SWG is ASEM's SOM.
        return do_import_negotiation(
            title=title, body=forum.body(body), text=text, actor=forum["secretariat"]
        )

    return start


@pytest.fixture
def astana(start_negotiation):
    text = (TEXTS / "astana-statement-podium.txt").read_text(encoding="utf-8")
    return start_negotiation(text, title="Draft Astana Statement on CICA Transformation")


SMALL = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);

OP1. We hereby launch the negotiations process.
"""


@pytest.fixture
def small(start_negotiation):
    return start_negotiation(SMALL)


@pytest.fixture(params=["cica", "asem"])
def each_forum(request, cast_forum):
    """A module's `forum = each_forum` runs its tests against both demo forums."""
    return cast_forum(request.param)
