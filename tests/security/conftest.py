"""Fixtures of the security fix tests: negotiations started through the real import action."""

from __future__ import annotations

from collections.abc import Callable

import pytest

AGREED = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""

BRACKETED = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);

OP1. We hereby launch the negotiations process.
"""


@pytest.fixture
def start_negotiation(forum) -> Callable:
    """start_negotiation(text, body="SWG") -> a Negotiation imported by the secretariat."""
    from secretariat.accounts.models import Body
    from secretariat.negotiation.actions import do_import_negotiation

    def start(text: str = BRACKETED, body: str = "SWG", title: str = "Draft statement"):
        return do_import_negotiation(
            title=title, body=Body.objects.get(code=body), text=text, actor=forum["secretariat"]
        )

    return start


@pytest.fixture
def small(start_negotiation):
    return start_negotiation(BRACKETED)


@pytest.fixture
def ict(start_negotiation):
    """A fully agreed text of the ICT working group (CHN, RUS, KAZ, IRAN, THA sit in it)."""
    return start_negotiation(AGREED, body="ICT-WG", title="ICT confidence-building measures")
