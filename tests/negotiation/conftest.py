"""Fixtures of the negotiation tests: negotiations started through the real import action."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

TEXTS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "negotiation" / "demo_texts"


@pytest.fixture
def start_negotiation(forum) -> Callable:
    """start_negotiation(text, body="SWG") -> a Negotiation imported by the secretariat."""
    from secretariat.accounts.models import Body
    from secretariat.negotiation.actions import do_import_negotiation

    def start(text: str, body: str = "SWG", title: str = "Draft statement"):
        return do_import_negotiation(
            title=title, body=Body.objects.get(code=body), text=text, actor=forum["secretariat"]
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
