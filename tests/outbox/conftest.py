"""A real SMTP server on loopback for every outbox test, and a simple registered mail kind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils.translation import gettext as _

from secretariat.accounts.access import can_view
from secretariat.accounts.models import User
from secretariat.outbox.api import RenderedEmail, register_kind
from secretariat.outbox.sink import SMTPSink, smtp_sink


def render_greeting(params: dict[str, Any], user: User) -> RenderedEmail | None:
    """Subject and body from strings the shared catalogue translates ("Notifications")."""
    if params.get("cancel"):
        return None
    if "notice" in params:
        from secretariat.notices.models import Notice

        notice = Notice.objects.filter(pk=params["notice"]).first()
        if notice is None or not can_view(user, notice):
            return None
    subject = f"{_('Notifications')}: {params.get('n', 0)}"
    return RenderedEmail(subject=subject, text=f"{_('Notifications')}\n{user.username}\n", html="")


@pytest.fixture(autouse=True)
def greeting_kind() -> str:
    register_kind("tests.greeting", render_greeting)
    register_kind("tests.optional", render_greeting, unsubscribe_category="other")
    register_kind("tests.official", render_greeting, official=True)
    return "tests.greeting"


@pytest.fixture
def sink(settings) -> Iterator[SMTPSink]:
    with smtp_sink() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        yield server
