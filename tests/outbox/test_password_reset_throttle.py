"""Password-reset requests are throttled per email address and per client address: past the
limit nothing is sent, the answer is the very same page (no account enumeration), and the
refusal is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEvent
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db

RUS = "rus@demo.secretariat.test"


def _ask(email: str, address: str = "192.0.2.10"):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def _queued() -> int:
    return OutboundEmail.objects.filter(kind="accounts.password_reset").count()


def test_the_sixth_request_in_an_hour_for_one_address_sends_nothing(forum, sink, settings) -> None:
    answers = [_ask(RUS, f"192.0.2.{i}") for i in range(1, 7)]  # six clients, one address
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert _queued() == 5
    assert send_due().sent == 5
    assert len(sink.wait_for(5)) == 5
    refused = AuditEvent.objects.get(action="account.password_reset_throttled")
    assert (refused.actor_name, refused.ip_address) == (RUS, "192.0.2.6")
    # The same address in other letters is the same address.
    _ask(RUS.upper(), "192.0.2.7")
    assert _queued() == 5
    # Requests older than the window do not count (the log is append-only: the window moves).
    settings.PASSWORD_RESET_WINDOW = timedelta(0)
    _ask(RUS, "192.0.2.8")
    assert _queued() == 6


def test_one_client_is_limited_across_addresses(forum, settings) -> None:
    settings.PASSWORD_RESET_PER_CLIENT = 3
    for name in ("rus", "ind", "chn"):
        _ask(f"{name}@demo.secretariat.test", "198.51.100.5")
    assert _queued() == 3
    refused = _ask("isr@demo.secretariat.test", "198.51.100.5")
    unknown = _ask("nobody@example.org", "198.51.100.9")  # an unknown address, another client
    # The same page for a refused request, a known and an unknown address.
    assert refused["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert _queued() == 3
    assert AuditEvent.objects.filter(
        action="account.password_reset_throttled", ip_address="198.51.100.5"
    ).exists()
    # Another client is not held back by this one.
    _ask("isr@demo.secretariat.test", "198.51.100.6")
    assert _queued() == 4
