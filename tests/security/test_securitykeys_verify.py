"""The server's WebAuthn verification at the HTTP level, with a software key that signs for real
(softkey.py): enrolment and sign-in, a replayed answer, a cloned key, a forged signature, an
answer for another origin or relying party, and the relying party taken from settings."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse
from softkey import SoftKey

from secretariat.accounts.models import SecurityKey
from secretariat.core.models import AuditEvent

ORIGIN = "http://testserver"
VERIFY = reverse("twofactor-verify")
LOGIN_BEGIN = reverse("securitykey-auth-begin", args=["login"])
LOGIN_COMPLETE = reverse("securitykey-auth-complete", args=["login"])


def _post(client: Client, url: str, data: object) -> object:
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _enrol(client: Client, key: SoftKey, name: str = "Soft key") -> object:
    options = _post(client, reverse("securitykey-register-begin"), {"name": name}).json()
    credential = key.register(options, ORIGIN)
    return _post(client, reverse("securitykey-register-complete"), {"credential": credential})


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "demo"})
    assert response["Location"].startswith(VERIFY)
    return client


def _sign_in(client: Client, key: SoftKey, **sign: object) -> object:
    options = _post(client, LOGIN_BEGIN, {}).json()
    return _post(
        client, LOGIN_COMPLETE, {"credential": key.sign(options, ORIGIN, **sign), "next": "/"}
    )


def _last_failure() -> dict:
    return AuditEvent.objects.filter(action="login.failed").latest("id").detail


@pytest.fixture
def enrolled(forum) -> SoftKey:
    """ind with one software key, enrolled through the endpoints."""
    key = SoftKey()
    client = Client()
    client.force_login(forum["ind"])
    response = _enrol(client, key)
    assert response.status_code == 200, response.content
    # A first factor: its recovery codes are shown once, on the next page.
    added = client.get(response.json()["redirect"])
    assert added.status_code == 200
    assert len(added.context["codes"]) == 10
    assert client.get(response.json()["redirect"]).status_code == 302  # once
    return key


def test_enrol_then_sign_in_with_password_and_key(forum, enrolled) -> None:
    row = SecurityKey.objects.get(user=forum["ind"])
    assert row.name == "Soft key"
    assert row.credential_id == enrolled.id
    assert row.transports == ["usb"]
    client = _password_login("ind")
    response = _sign_in(client, enrolled)
    assert response.status_code == 200, response.content
    assert response.json() == {"redirect": "/"}
    assert client.get("/").status_code == 200
    row.refresh_from_db()
    assert row.sign_count == 1
    event = AuditEvent.objects.filter(action="login.second_factor").latest("id")
    assert (event.actor, event.detail["device"]) == (forum["ind"], "security_key")


def test_a_replayed_answer_is_refused(forum, enrolled) -> None:
    client = _password_login("ind")
    options = _post(client, LOGIN_BEGIN, {}).json()
    answer = {"credential": enrolled.sign(options, ORIGIN)}
    assert _post(client, LOGIN_COMPLETE, answer).status_code == 200

    # The same answer in a new sign-in: no challenge waits, then a new one does not match.
    other = _password_login("ind")
    replayed = _post(other, LOGIN_COMPLETE, answer)
    assert replayed.status_code == 400
    assert _last_failure()["reason"] == "no_challenge"
    _post(other, LOGIN_BEGIN, {})
    replayed = _post(other, LOGIN_COMPLETE, answer)
    assert replayed.status_code == 400
    assert "challenge" in _last_failure()["reason"]
    assert other.get("/")["Location"].startswith(VERIFY)
    # A challenge is good for one answer even when that answer failed.
    options = _post(other, LOGIN_BEGIN, {}).json()
    bad = enrolled.sign(options, "http://evil.example")
    good = enrolled.sign(options, ORIGIN)
    assert _post(other, LOGIN_COMPLETE, {"credential": bad}).status_code == 400
    assert _post(other, LOGIN_COMPLETE, {"credential": good}).status_code == 400
    assert _last_failure()["reason"] == "no_challenge"


def test_one_challenge_serves_one_answer_even_from_two_requests_at_once(forum, enrolled) -> None:
    """Two requests of one session read the same pending challenge before either saves the
    session (simulated: the second session is given the first one's challenge)."""
    first = _password_login("ind")
    options = _post(first, LOGIN_BEGIN, {}).json()
    second = _password_login("ind")
    session = second.session
    session["webauthn_challenge"] = first.session["webauthn_challenge"]
    session.save()
    answer = {"credential": enrolled.sign(options, ORIGIN)}
    assert _post(first, LOGIN_COMPLETE, answer).status_code == 200
    enrolled.sign_count += 1  # even a key whose counter moved on (or one that keeps none)
    response = _post(second, LOGIN_COMPLETE, {"credential": enrolled.sign(options, ORIGIN)})
    assert response.status_code == 400
    assert "already used" in response.json()["error"]
    assert _last_failure()["reason"] == "challenge_reused"
    assert second.get("/")["Location"].startswith(VERIFY)


def test_a_cloned_key_is_refused(forum, enrolled) -> None:
    copy = enrolled.clone()
    assert _sign_in(_password_login("ind"), enrolled).status_code == 200
    assert _sign_in(_password_login("ind"), enrolled).status_code == 200
    # The copy still has the counter of the moment it was made.
    client = _password_login("ind")
    response = _sign_in(client, copy)
    assert response.status_code == 400
    assert "counter went backwards" in response.json()["error"]
    assert _last_failure()["reason"] == "sign_count: 1 <= 2"
    assert client.get("/")["Location"].startswith(VERIFY)


def test_a_forged_signature_another_origin_or_relying_party_is_refused(forum, enrolled) -> None:
    forger = SoftKey()
    forger.credential_id = enrolled.credential_id  # the id is not secret; the key is
    cases = [
        (forger, {}, "signature"),
        (enrolled, {"rp_id": "evil.example"}, "RP ID"),
    ]
    for key, sign, reason in cases:
        client = _password_login("ind")
        response = _sign_in(client, key, **sign)
        assert response.status_code == 400, reason
        assert "could not be verified" in response.json()["error"]
        assert reason in _last_failure()["reason"]
    client = _password_login("ind")
    options = _post(client, LOGIN_BEGIN, {}).json()
    answer = enrolled.sign(options, "https://evil.example")
    assert _post(client, LOGIN_COMPLETE, {"credential": answer}).status_code == 400
    assert "origin" in _last_failure()["reason"]
    assert SecurityKey.objects.get(user=forum["ind"]).sign_count == 0


def test_the_relying_party_comes_from_settings_when_set(forum, settings) -> None:
    settings.WEBAUTHN_RP_ID = "example.org"
    settings.WEBAUTHN_ORIGINS = ["https://secretariat.example.org"]
    key = SoftKey()
    client = Client()
    client.force_login(forum["chn"])
    options = _post(client, reverse("securitykey-register-begin"), {"name": "Key"}).json()
    assert options["rp"] == {"id": "example.org", "name": settings.WEBAUTHN_RP_NAME}
    # An answer from the request's own origin is now refused, the configured one accepted.
    refused = key.register(options, ORIGIN)
    assert (
        _post(client, reverse("securitykey-register-complete"), {"credential": refused}).status_code
        == 400
    )
    options = _post(client, reverse("securitykey-register-begin"), {"name": "Key"}).json()
    accepted = key.register(options, "https://secretariat.example.org")
    response = _post(client, reverse("securitykey-register-complete"), {"credential": accepted})
    assert response.status_code == 200, response.content
    # The same key cannot be enrolled twice.
    options = _post(client, reverse("securitykey-register-begin"), {"name": "Again"}).json()
    assert options["excludeCredentials"][0]["id"] == key.id
    again = key.register(options, "https://secretariat.example.org")
    response = _post(client, reverse("securitykey-register-complete"), {"credential": again})
    assert response.status_code == 400
    assert "already registered" in response.json()["error"]
    assert SecurityKey.objects.filter(user=forum["chn"]).count() == 1


def test_an_optional_user_removes_the_last_key_with_a_recovery_code(forum, enrolled) -> None:
    """Confirmed with a recovery code, the last key goes, and the recovery codes with it: the
    next sign-in asks for the password alone. The secretariat's list shows who has a factor."""
    from django_otp.plugins.otp_static.models import StaticToken

    officer = Client()
    officer.force_login(forum["secretariat"])
    rows = {r.user.username: r for r in officer.get(reverse("account-users")).context["rows"]}
    assert rows["ind"].enrolled and not rows["chn"].enrolled

    client = _password_login("ind")
    assert _sign_in(client, enrolled).status_code == 200
    key = SecurityKey.objects.get(user=forum["ind"])
    remove = reverse("securitykey-remove", args=[key.pk])
    code = StaticToken.objects.filter(device__user=forum["ind"]).first().token
    confirmed = client.post(reverse("twofactor-confirm"), {"token": code, "next": remove})
    assert confirmed["Location"] == remove
    assert client.post(remove)["Location"] == reverse("account-security")
    assert not SecurityKey.objects.filter(user=forum["ind"]).exists()
    assert not StaticToken.objects.filter(device__user=forum["ind"]).exists()
    assert (
        AuditEvent.objects.filter(action="twofactor.removed")
        .latest("id")
        .detail["recovery_codes_removed"]
    )
    # A second removal needs a second confirmation.
    assert not client.session.get("twofactor_reconfirmed_at")
    fresh = Client()
    response = fresh.post(reverse("login"), {"username": "ind", "password": "demo"})
    assert response["Location"] == "/"
