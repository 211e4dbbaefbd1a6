from __future__ import annotations

from collections.abc import Iterator

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
def russian(forum):
    user = forum["rus"]
    user.language = "ru"
    user.save(update_fields=["language"])
    return user
