"""Security keys at the HTTP level: the JSON endpoints answer a clear 4xx (never a 500) to
anything that is not a WebAuthn answer, each for the right step only; removal re-asks for a
factor, stays within one's own keys and keeps a required user's last factor; the reset by
another officer removes keys too. (Real signatures are exercised in the browser tests.)"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.accounts import twofactor
from secretariat.accounts.models import SecurityKey, User
from secretariat.core.models import AuditEvent
from secretariat.demo.forum import demo_totp_code

VERIFY = reverse("twofactor-verify")
LOGIN_BEGIN = reverse("securitykey-auth-begin", args=["login"])
LOGIN_COMPLETE = reverse("securitykey-auth-complete", args=["login"])
REGISTER_BEGIN = reverse("securitykey-register-begin")
REGISTER_COMPLETE = reverse("securitykey-register-complete")

GARBAGE = [
    b"",
    b"not json",
    b"[]",
    b"null",
    b'"text"',
    b"\xff\xfe\x00",
    b'{"credential": "x"}',
    b'{"credential": []}',
    b'{"credential": {}}',
    b'{"credential": {"id": 5}}',
    b'{"credential": {"id": "AAAA", "rawId": "AAAA", "response": {}}}',
    b'{"credential": {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": '
    b'{"clientDataJSON": "!!!", "authenticatorData": "x", "signature": "y"}}}',
    b'{"credential": {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": '
    b'{"clientDataJSON": "e30", "attestationObject": "oA", "authenticatorData": "AA", '
    b'"signature": "AA"}}, "next": "https://evil.example/"}',
    b'{"credential": {"id": "\\u0000", "rawId": "\\u0000"}}',
    # What the library quotes in its refusal (the type, the origin) carries a NUL.
    json.dumps(
        {
            "credential": {
                "id": "AAAA",
                "rawId": "AAAA",
                "type": "public-key\u0000",
                "response": {"clientDataJSON": "e30", "authenticatorData": "AA", "signature": "AA"},
            }
        }
    ).encode(),
    json.dumps({"credential": {"id": "A" * 5000, "rawId": "A" * 5000}}).encode(),
    b'{"credential": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b"x" * 70_000,
]


def _key(user: User, credential_id: str = "AAAA", name: str = "Test key") -> SecurityKey:
    """A key row (its public key is never checked by these tests)."""
    return SecurityKey.objects.create(
        user=user, name=name, confirmed=True, credential_id=credential_id, public_key=b"\x00"
    )


def _password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "demo"})
    assert response.status_code == 302
    return client


def _post(client: Client, url: str, body: bytes) -> object:
    return client.post(url, data=body, content_type="application/json")


@pytest.mark.django_db
def test_the_login_endpoints_refuse_garbage_with_400(forum, settings) -> None:
    settings.LOGIN_THROTTLE_FAILURES = 1000  # room for every malformed answer below
    _key(forum["ind"])
    client = _password_login("ind")
    assert client.get("/")["Location"].startswith(VERIFY)
    for body in GARBAGE:
        begun = _post(client, LOGIN_BEGIN, b"{}")
        assert begun.status_code == 200
        assert begun.json()["allowCredentials"][0]["id"] == "AAAA"
        response = _post(client, LOGIN_COMPLETE, body)
        assert response.status_code == 400, (body[:80], response.content[:300])
        assert response.json()["error"]
    # Garbage to begin itself, and a complete with no challenge waiting.
    for body in (b"not json", b"[]", b"\xff"):
        assert _post(client, LOGIN_BEGIN, body).status_code == 400
    assert _post(client, LOGIN_COMPLETE, b'{"credential": {"id": "AAAA"}}').status_code == 400
    # Still not signed in, and every refusal is a failed login for the throttle.
    assert client.get("/")["Location"].startswith(VERIFY)
    failures = AuditEvent.objects.filter(action="login.failed", actor_name="ind").count()
    assert failures >= len(GARBAGE)
    # ... so the password throttle stops the key step as it stops codes.
    settings.LOGIN_THROTTLE_FAILURES = 5
    throttled = _post(client, LOGIN_BEGIN, b"{}")
    assert throttled.status_code == 429
    assert "Too many failed attempts" in throttled.json()["error"]


@pytest.mark.django_db
def test_the_enrolment_endpoints_refuse_garbage_with_400(forum) -> None:
    client = Client()
    client.force_login(forum["ind"])
    for body in GARBAGE:
        begun = _post(client, REGISTER_BEGIN, b'{"name": "Blue key"}')
        assert begun.status_code == 200
        assert begun.json()["rp"]["id"] == "testserver"
        response = _post(client, REGISTER_COMPLETE, body)
        assert response.status_code == 400, (body[:80], response.content[:300])
        assert response.json()["error"]
    for body in (
        b"not json",
        b"{}",
        b'{"name": ""}',
        b'{"name": 5}',
        b'{"name": "a\\u0000b"}',
        json.dumps({"name": "k" * 65}).encode(),
    ):
        assert _post(client, REGISTER_BEGIN, body).status_code == 400, body
    assert not SecurityKey.objects.exists()
    failures = AuditEvent.objects.filter(
        action="twofactor.enrol_failed", actor_name="ind", detail__step="security_key_enrolment"
    )
    assert failures.count() == len(GARBAGE)


@pytest.mark.django_db
def test_an_expired_challenge_is_refused(forum, settings) -> None:
    _key(forum["ind"])
    client = _password_login("ind")
    settings.WEBAUTHN_CHALLENGE_SECONDS = -1
    assert _post(client, LOGIN_BEGIN, b"{}").status_code == 200
    response = _post(client, LOGIN_COMPLETE, b'{"credential": {"id": "AAAA"}}')
    assert response.status_code == 400
    assert "expired" in response.json()["error"]
    event = AuditEvent.objects.filter(action="login.failed").latest("id")
    assert event.detail["reason"] == "challenge_expired"


@pytest.mark.django_db
def test_each_endpoint_serves_its_own_step_only(forum) -> None:
    # Signed in with the password, a key due: enrolling another is refused.
    _key(forum["ind"])
    client = _password_login("ind")
    refused = _post(client, REGISTER_BEGIN, b'{"name": "x"}')
    assert refused.status_code == 302
    assert refused["Location"].startswith(VERIFY)
    assert _post(
        client, reverse("securitykey-auth-begin", args=["confirm"]), b"{}"
    ).status_code in (
        302,
        403,
    )
    # Fully signed in: there is no sign-in step to answer any more.
    done = Client()
    done.force_login(forum["ind"])
    assert _post(done, LOGIN_BEGIN, b"{}").status_code == 409
    # A user without a key has nothing to sign with.
    other = Client()
    other.force_login(forum["chn"])
    assert (
        _post(other, reverse("securitykey-auth-begin", args=["confirm"]), b"{}").status_code == 409
    )
    # Anonymous: the login page.
    assert _post(Client(), LOGIN_BEGIN, b"{}").status_code == 302


@pytest.mark.django_db
def test_a_secretariat_user_with_only_a_key_must_give_it(forum) -> None:
    secretariat = forum["secretariat"]
    twofactor.do_reset_two_factor(secretariat, actor=forum["chair"])
    _key(secretariat)
    client = _password_login("secretariat")
    for url in ("/", reverse("account-security"), reverse("twofactor-enrol")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    page = client.get(VERIFY)
    assert b'data-webauthn="authenticate"' in page.content
    assert b"js/webauthn.js" in page.content


@pytest.mark.django_db
def test_removal_asks_again_stays_within_ones_own_keys_and_keeps_the_last_factor(forum) -> None:
    chair = forum["chair"]  # the demo's authenticator app, plus a key
    key = _key(chair, "BBBB", "Spare key")
    client = Client()
    client.force_login(chair)
    remove = reverse("securitykey-remove", args=[key.pk])
    # Without a fresh factor: to the confirmation page, nothing removed.
    response = client.post(remove)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor-confirm"))
    wrong = client.post(reverse("twofactor-confirm"), {"token": "000000", "next": remove})
    assert wrong.status_code == 200
    assert SecurityKey.objects.filter(pk=key.pk).exists()
    # Another user's key is not found.
    other = Client()
    other.force_login(forum["ind"])
    assert other.get(remove).status_code == 404
    # A code from the app, then the removal: once.
    confirmed = client.post(
        reverse("twofactor-confirm"), {"token": demo_totp_code(), "next": remove}
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"] == remove
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not SecurityKey.objects.filter(pk=key.pk).exists()
    event = AuditEvent.objects.filter(action="twofactor.removed").latest("id")
    assert event.actor == chair
    assert event.detail["key"] == "Spare key"

    # A secretariat user whose only factor is a key cannot remove it.
    secretariat = forum["secretariat"]
    twofactor.do_reset_two_factor(secretariat, actor=chair)
    only = _key(secretariat, "CCCC", "Only key")
    client = Client()
    client.force_login(secretariat)
    session = client.session
    session["twofactor_reconfirmed_at"] = __import__("time").time()
    session.save()
    client.post(reverse("securitykey-remove", args=[only.pk]))
    assert SecurityKey.objects.filter(pk=only.pk).exists()


@pytest.mark.django_db
def test_the_reset_by_another_officer_removes_keys_too(forum, client_for) -> None:
    ind = forum["ind"]
    _key(ind, "DDDD", "Lost key")
    assert twofactor.has_device(ind)
    page = client_for("secretariat").get(reverse("account-user-security", args=[ind.pk]))
    assert (
        '<span lang="en">Lost key</span> <small class="muted">(security key)</small>'
        in page.content.decode()
    )
    twofactor.do_reset_two_factor(ind, actor=forum["secretariat"])
    assert not SecurityKey.objects.filter(user=ind).exists()
    assert not twofactor.has_device(ind)
    event = AuditEvent.objects.filter(action="twofactor.reset").latest("id")
    assert event.detail["removed"] >= 1
