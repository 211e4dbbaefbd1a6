"""Fixtures of the programme tests: initiatives built through the real actions, a real SMTP
server on loopback."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

from secretariat.outbox.sink import SMTPSink, smtp_sink


@pytest.fixture
def sink(settings) -> Iterator[SMTPSink]:
    with smtp_sink() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def make_initiative(forum) -> Callable:
    """make_initiative(title, leads=("CHN", "RUS"), status="ongoing", access_level="members",
    body=None) -> Initiative, created by the secretariat."""
    from secretariat.accounts.models import Body, Delegation
    from secretariat.programme import actions

    def make(
        title: str = "CBM: Security of and in the use of ICTs",
        leads: tuple[str, ...] = ("CHN", "RUS"),
        status: str = "ongoing",
        access_level: str = "members",
        body: str | None = None,
    ):
        return actions.do_create_initiative(
            title,
            area=None,
            leads=[Delegation.objects.get(code=c) for c in leads],
            joined_on=date(2023, 1, 1),
            status=status,
            access_level=access_level,
            body=Body.objects.get(code=body) if body else None,
            actor=forum["secretariat"],
        )

    return make


REPORT_TEXT = "Progress report on the CBM.\n\nThe expert meeting was held in Beijing in May."


@pytest.fixture
def submit_report(forum) -> Callable:
    from secretariat.documents.actions import read_upload
    from secretariat.programme import actions

    def submit(initiative, cycle: int = 0, actor=None, **options):
        upload = read_upload(REPORT_TEXT.encode(), "report.txt")
        return actions.do_submit_report(
            initiative, upload, cycle=cycle, actor=actor or forum["chn"], **options
        )

    return submit
