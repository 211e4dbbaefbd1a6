"""The password reset by email: the message is queued in the outbox, sent by the worker to a
real SMTP server on loopback, written in the user's language, and its link sets a new
password once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.core.models import AuditEvent
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db


def _text(message) -> str:
    part = message.get_body(preferencelist=("plain",))
    return part.get_content()


def test_reset_mail_arrives_in_the_users_language_and_its_link_works(forum, sink) -> None:
    rus = forum["rus"]
    rus.language = "ru"
    rus.save()
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "rus@demo.secretariat.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    row = OutboundEmail.objects.get(kind="accounts.password_reset")
    assert row.recipient_id == rus.pk and row.params == {}  # no secret is stored

    assert send_due().sent == 1
    (received,) = sink.wait_for(1)
    message = received.message
    assert message["To"] == "rus@demo.secretariat.test"
    assert message["Subject"] == "Сброс пароля"
    body = _text(message)
    assert "Здравствуйте" in body
    link = re.search(r"https?://\S+/accounts/password-reset/\S+/\S+/", body).group(0)
    path = "/" + link.split("/", 3)[3]

    # The link leads to the form (Django moves the token into the session first).
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "Reset-Phrase-2026", "new_password2": "Reset-Phrase-2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    assert Client().login(username="rus", password="Reset-Phrase-2026")
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(rus.pk))
    # Used once: the same link no longer works.
    html = Client().get(path, follow=True).content.decode()
    assert "no longer valid" in html or "больше не действует" in html


def test_an_unknown_address_gets_the_same_answer_and_no_mail(forum, sink) -> None:
    response = Client().post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert not OutboundEmail.objects.filter(kind="accounts.password_reset").exists()


def test_the_login_page_offers_the_reset(forum) -> None:
    html = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in html
