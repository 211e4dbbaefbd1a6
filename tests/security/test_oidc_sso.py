"""Single sign-on against a real OpenID provider: django-oauth-toolkit in OIDC mode, run as a
separate Django project (tests/oidc_provider/) in a subprocess on a free port, with its own
SQLite database and an RSA key made here. The product runs under live_server; an HTTP client
with cookies follows every redirect of the authorization-code flow (with PKCE), as a browser
would."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from secretariat.accounts.models import Delegation, DelegationEmailDomain, User
from secretariat.core.models import AuditEvent

TESTS = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PEOPLE = {
    # a delegate new to the product, whose provider names her delegation by code
    "asha": {"email": "asha.iyer@mea.example", "delegation": "IND", "first_name": "Asha"},
    # the demo delegate "ind" already has an account with this address
    "priya": {"email": "ind@demo.secretariat.test", "delegation": "IND"},
    # the provider names a delegation the forum does not know
    "mallory": {"email": "mallory@atlantis.example", "delegation": "ATLANTIS"},
    # no claim: the secretariat's e-mail domain mapping decides
    "aizhan": {"email": "aizhan@mfa.kz.example", "first_name": "Aizhan"},
    # no claim and an unmapped domain
    "stranger": {"email": "stranger@elsewhere.example"},
    # the provider says RUS, but the account with that address is the IND delegate's
    "impostor": {"email": "IND@demo.secretariat.test", "delegation": "RUS"},
}
PASSWORD = "provider-password-1"


@dataclass
class Provider:
    url: str
    issuer: str


@pytest.fixture
def provider(tmp_path, live_server) -> Iterator[Provider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "rsa.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    people = {name: {**p, "password": PASSWORD} for name, p in PEOPLE.items()}
    (tmp_path / "people.json").write_text(json.dumps(people))
    (tmp_path / "client.json").write_text(
        json.dumps(
            {
                "client_id": "secretariat",
                "client_secret": "client-secret-for-tests",
                "redirect_uri": f"{live_server.url}/oidc/callback/",
            }
        )
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(TESTS),
        "OIDC_PROVIDER_STATE": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider.serve"],
        cwd=TESTS,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith("PORT "), f"the provider did not start: {line!r}"
        url = f"http://127.0.0.1:{int(line.split()[1])}"
        discovery = httpx.get(f"{url}/o/.well-known/openid-configuration").json()
        yield Provider(url=url, issuer=discovery["issuer"])
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider) -> Provider:
    """The product configured as the deployment's environment would configure it, from the
    provider's discovery document."""
    discovery = httpx.get(f"{provider.url}/o/.well-known/openid-configuration").json()
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = discovery["issuer"]
    settings.OIDC_PROVIDER_NAME = "Test ID"
    settings.OIDC_RP_CLIENT_ID = "secretariat"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret-for-tests"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.ModelBackend",
        "secretariat.accounts.oidc.SecretariatOIDCBackend",
    ]
    return provider


def sign_in(base: str, provider: Provider, username: str) -> httpx.Response:
    """Click "Sign in with Test ID" on the login page, sign in at the provider, and follow the
    redirects back; returns the last answer (with the product's cookies in its client)."""
    http = httpx.Client(follow_redirects=True, timeout=30)
    login_page = http.get(f"{base}/accounts/login/")
    link = re.search(r'href="(/oidc/authenticate/[^"]*)"', login_page.text)
    assert link, "the login page offers single sign-on"
    at_provider = http.get(base + link.group(1))
    assert at_provider.url.host == "127.0.0.1" and at_provider.url.path == "/login/"
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', at_provider.text)
    assert csrf
    next_url = parse_qs(urlsplit(str(at_provider.url)).query)["next"][0]
    assert parse_qs(urlsplit(next_url).query)["code_challenge_method"] == ["S256"]
    final = http.post(
        str(at_provider.url),
        data={
            "csrfmiddlewaretoken": csrf.group(1),
            "username": username,
            "password": PASSWORD,
            "next": next_url,
        },
    )
    final.extensions["client"] = http
    return final


def test_a_new_delegate_lands_logged_in_with_the_delegation_of_the_claim(
    forum, sso, live_server
) -> None:
    page = sign_in(live_server.url, sso, "asha")
    assert page.status_code == 200
    assert page.url == f"{live_server.url}/"
    assert "Welcome, Asha" in page.text
    user = User.objects.get(email="asha.iyer@mea.example")
    assert (user.role, user.delegation.code, user.has_usable_password()) == (
        "delegate",
        "IND",
        False,
    )
    event = AuditEvent.objects.get(action="login.sso", actor=user)
    assert event.detail["delegation"] == "IND"
    assert event.detail["matched_by"] == "claim"
    assert event.detail["created"] is True
    assert event.detail["issuer"] == sso.issuer
    assert AuditEvent.objects.filter(action="login", actor=user).count() == 1
    assert AuditEvent.objects.filter(action="user.created_by_sso", actor=user).exists()
    # The session is real: a private page opens without another login.
    client = page.extensions["client"]
    assert client.get(f"{live_server.url}/documents/").status_code == 200


def test_an_existing_account_is_matched_by_its_email(forum, sso, live_server) -> None:
    page = sign_in(live_server.url, sso, "priya")
    assert page.url == f"{live_server.url}/"
    assert "Welcome, Priya Raman" in page.text
    event = AuditEvent.objects.get(action="login.sso")
    assert event.actor == forum["ind"]
    assert event.detail["created"] is False
    assert User.objects.filter(email__iexact="ind@demo.secretariat.test").count() == 1


def test_a_claim_naming_no_known_delegation_is_refused(forum, sso, live_server) -> None:
    page = sign_in(live_server.url, sso, "mallory")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert "names a delegation this forum does not know" in page.text
    assert not User.objects.filter(email="mallory@atlantis.example").exists()
    refused = AuditEvent.objects.get(action="login.sso_refused")
    assert refused.actor is None and refused.actor_name == "mallory@atlantis.example"
    assert refused.detail["reason"] == "unknown_delegation"
    assert refused.detail["claimed_delegation"] == "ATLANTIS"
    assert not AuditEvent.objects.filter(action="login.sso").exists()
    client = page.extensions["client"]
    assert client.get(f"{live_server.url}/documents/").url.path == "/accounts/login/"


def test_the_secretariats_domain_mapping_places_people_without_a_claim(
    forum, sso, live_server
) -> None:
    DelegationEmailDomain.objects.create(
        domain="mfa.kz.example", delegation=Delegation.objects.get(code="KAZ")
    )
    page = sign_in(live_server.url, sso, "aizhan")
    assert "Welcome, Aizhan" in page.text
    user = User.objects.get(email="aizhan@mfa.kz.example")
    assert user.delegation.code == "KAZ"
    assert AuditEvent.objects.get(action="login.sso").detail["matched_by"] == "domain"

    # An unmapped domain and no claim: refused, no account.
    page = sign_in(live_server.url, sso, "stranger")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert "not linked to a delegation" in page.text
    assert not User.objects.filter(email="stranger@elsewhere.example").exists()
    assert AuditEvent.objects.get(action="login.sso_refused").detail["reason"] == "no_delegation"


def test_the_provider_cannot_move_an_account_to_another_delegation(forum, sso, live_server) -> None:
    page = sign_in(live_server.url, sso, "impostor")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert "another delegation than your account" in page.text
    assert User.objects.get(username="ind").delegation.code == "IND"
    assert AuditEvent.objects.get(action="login.sso_refused").detail["reason"] == (
        "other_delegation"
    )


def test_password_login_stays_beside_sso_and_sso_is_off_by_default(
    forum, client_for, settings
) -> None:
    anonymous = client_for(None)
    assert settings.OIDC_ENABLED is False
    assert anonymous.get("/oidc/authenticate/").status_code == 404
    assert anonymous.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "/oidc/authenticate/" not in anonymous.get("/accounts/login/").content.decode()
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Forum ID"
    page = anonymous.get("/accounts/login/").content.decode()
    assert 'href="/oidc/authenticate/"' in page and "Sign in with Forum ID" in page
    # The break-glass password login for the secretariat still works with SSO on.
    forum["secretariat"].set_password("break-glass-password")
    forum["secretariat"].save()
    answer = anonymous.post(
        "/accounts/login/", {"username": "secretariat", "password": "break-glass-password"}
    )
    # The password is accepted; the secretariat's second factor follows, as for every login.
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/2fa/verify/")
