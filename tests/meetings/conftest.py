"""Meetings built through the real actions: an SWG meeting and an ICT working group meeting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def make_meeting(forum):
    from secretariat.accounts.models import Body
    from secretariat.meetings import actions

    def make(code: str = "SWG", title: str = "SWG meeting", **over):
        values = dict(
            title=title,
            body=Body.objects.get(code=code),
            access_level="body",
            starts_at=datetime(2030, 6, 3, 10, tzinfo=ALMATY),
            ends_at=datetime(2030, 6, 4, 18, tzinfo=ALMATY),
            time_zone="Asia/Almaty",
            venue="Astana",
        )
        values.update(over)
        return actions.do_create_meeting(
            actions.MeetingFields(**values), actor=forum["secretariat"]
        )

    return make


@pytest.fixture
def swg_meeting(make_meeting, forum):
    """An SWG meeting with a published provisional agenda of two items and one draft item."""
    from secretariat.meetings import actions

    meeting = make_meeting()
    officer = forum["secretariat"]
    actions.do_add_item(meeting, title="Opening of the meeting", actor=officer)
    actions.do_add_item(
        meeting, title="Draft Astana Statement", annotation="The podium version.", actor=officer
    )
    actions.do_publish_agenda(meeting, "provisional", actor=officer)
    actions.do_add_item(meeting, title="Secret draft item XYZZY", actor=officer)
    return meeting


@pytest.fixture
def ict_meeting(make_meeting):
    return make_meeting("ICT-WG", title="ICT working group closed session QWERTY")


@pytest.fixture
def sink(settings):
    """A real SMTP server on loopback; the outbox delivers to it."""
    from secretariat.outbox.sink import smtp_sink

    with smtp_sink() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def house_style(forum) -> None:
    from secretariat.communications.seed import seed_house_style

    seed_house_style()
