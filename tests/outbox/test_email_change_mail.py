"""A new email address on the profile is confirmed by mail: the link goes to the NEW address
(a real SMTP server on loopback receives it), in the user's language; the old address keeps
working until the link is opened, and hears that a change was asked; the link works once and
expires."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from secretariat.accounts.models import User
from secretariat.core.models import AuditEvent
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due

pytestmark = pytest.mark.django_db

NEW = "priya.new@example.org"


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _profile(user, **changes) -> dict:
    values = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "time_zone": user.time_zone,
    }
    return {**values, **changes}


def test_a_new_address_is_confirmed_from_that_address(forum, client_for, sink) -> None:
    user = forum["ind"]
    user.language = "ru"
    user.save()
    old = user.email
    assert old
    client = client_for("ind")
    response = client.post(reverse("account-profile"), _profile(user, email=NEW))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == old  # nothing changes before the confirmation
    confirm = OutboundEmail.objects.get(kind="accounts.email_change_confirm")
    notice = OutboundEmail.objects.get(kind="accounts.email_change_notice")
    assert (confirm.to_address, confirm.params) == (NEW, {"address": NEW})  # no secret stored
    assert (notice.to_address, notice.params) == (old, {"address": NEW})
    assert AuditEvent.objects.filter(action="account.email_change_requested").count() == 1

    assert send_due().sent == 2
    received = {r.message["To"]: r.message for r in sink.wait_for(2)}
    to_new, to_old = received[NEW], received[old]
    assert to_new["Subject"].strip() == "Подтвердите новый адрес электронной почты"
    body = _text(to_new)
    assert "Здравствуйте" in body and NEW in body
    assert NEW in _text(to_old) and "Здравствуйте" in _text(to_old)
    assert "/profile/email/" not in _text(to_old)  # the old address gets no link
    link = re.search(r"https?://\S+/profile/email/\S+/", body).group(0)
    path = "/" + link.split("/", 3)[3]

    # Opening the link asks (a mail scanner's GET changes nothing); the POST sets it.
    page = client.get(path)
    assert page.status_code == 200 and NEW in page.content.decode()
    user.refresh_from_db()
    assert user.email == old
    assert client.post(path).status_code == 302
    user.refresh_from_db()
    assert user.email == NEW
    event = AuditEvent.objects.get(action="account.email_change")
    assert (event.detail["old"], event.detail["new"]) == (old, NEW)
    # Once only.
    assert client.post(path).status_code == 400
    assert AuditEvent.objects.filter(action="account.email_change").count() == 1


def test_the_link_expires_and_is_the_accounts_own(forum, client_for, sink, monkeypatch) -> None:
    from secretariat.accounts import profile

    user = forum["ind"]
    old = user.email
    client_for("ind").post(reverse("account-profile"), _profile(user, email=NEW))
    send_due()
    (received,) = [r for r in sink.wait_for(2) if r.message["To"] == NEW]
    link = re.search(r"https?://\S+/profile/email/\S+/", _text(received.message)).group(0)
    path = "/" + link.split("/", 3)[3]
    # Another account's user cannot use it.
    assert client_for("chn").post(path).status_code == 400
    # Expired: the day has passed.
    monkeypatch.setattr(profile, "EMAIL_CHANGE_MAX_AGE_SECONDS", -1)
    response = client_for("ind").post(path)
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()
    assert User.objects.get(pk=user.pk).email == old
    assert not AuditEvent.objects.filter(action="account.email_change").exists()


# --- removing the address, and an address another account has --------------------------------


def test_a_delegate_removes_the_address_at_once_and_the_old_one_is_told(forum, client_for) -> None:
    from secretariat.outbox.email_change import CLEARED, render_cleared

    user = forum["ind"]
    old = user.email
    assert old
    client = client_for("ind")
    response = client.post(reverse("account-profile"), _profile(user, email=""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == ""
    event = AuditEvent.objects.get(action="account.email_cleared")
    assert (event.detail["old"], event.detail["new"]) == (old, "")
    (told,) = OutboundEmail.objects.filter(kind=CLEARED)
    assert (told.to_address, told.params) == (old, {"address": old})
    mail = render_cleared(told.params, user)
    assert old in mail.text and "tell the secretariat" in mail.text
    page = client.get(reverse("account-profile")).content.decode()
    assert "no longer has an email address" in page
    # Nothing more to remove: no second row, no second notice.
    client.post(reverse("account-profile"), _profile(user, email=""))
    assert AuditEvent.objects.filter(action="account.email_cleared").count() == 1


@pytest.mark.parametrize("username", ["secretariat", "chair"])
def test_the_secretariat_and_the_chair_keep_an_address(forum, client_for, username) -> None:
    from secretariat.accounts.profile import EmailChangeRefused, do_clear_email

    user = forum[username]
    old = user.email
    assert old
    response = client_for(username).post(reverse("account-profile"), _profile(user, email=""))
    assert response.status_code == 400
    assert "Your account needs an email address" in response.content.decode()
    with pytest.raises(EmailChangeRefused):
        do_clear_email(user, actor=user)
    assert User.objects.get(pk=user.pk).email == old
    assert not AuditEvent.objects.filter(action="account.email_cleared").exists()
    assert not OutboundEmail.objects.exists()


def test_another_accounts_address_is_refused_whatever_its_case(forum, client_for) -> None:
    user, other = forum["ind"], forum["chn"]
    taken = other.email.upper()
    response = client_for("ind").post(reverse("account-profile"), _profile(user, email=taken))
    assert response.status_code == 400
    assert "already used by another account" in response.content.decode()
    assert not AuditEvent.objects.filter(action="account.email_change_requested").exists()
    assert not OutboundEmail.objects.exists()


def test_the_link_is_refused_once_another_account_took_the_address(forum, client_for) -> None:
    from secretariat.accounts import profile

    user = forum["ind"]
    old = user.email
    client = client_for("ind")
    assert client.post(reverse("account-profile"), _profile(user, email=NEW)).status_code == 302
    path = reverse("account-email-confirm", args=[profile.email_change_token(user, NEW)])
    User.objects.filter(pk=forum["chn"].pk).update(email=NEW.upper())  # taken meanwhile
    for answer in (client.get(path), client.post(path)):
        assert answer.status_code == 409
        assert "already used by another account" in answer.content.decode()
    assert User.objects.get(pk=user.pk).email == old
    assert not AuditEvent.objects.filter(action="account.email_change").exists()
