"""Security keys in a real Chromium with a virtual authenticator (Chrome DevTools' WebAuthn
domain: a CTAP2 USB key that signs like a real one): enrolment, sign-in with password + key,
the required-2FA gate passed with a key alone, a cloned key (counter gone back), a removed key,
and a captured answer replayed."""

from __future__ import annotations

import json

import pytest

from secretariat.accounts import twofactor
from secretariat.accounts.models import SecurityKey
from secretariat.core.models import AuditEvent

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _virtual_authenticator(page) -> tuple[object, str]:
    context = page.context  # starts the lazy page fixture; the CDP call wants the page itself
    cdp = context.new_cdp_session(getattr(page, "_obj", page))
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def _password(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _logout(page) -> None:
    """The shell's "Log out" form (its menu may be folded away at this width)."""
    with page.expect_navigation():
        page.evaluate(
            "document.querySelector(\"form[action$='/accounts/logout/']\").requestSubmit()"
        )


def _enrol_key(page, live_server, name: str) -> None:
    """From the add-key page: name the key, touch it; through the recovery codes if shown."""
    if "/accounts/2fa/keys/add/" not in page.url:
        page.goto(f"{live_server.url}/accounts/2fa/keys/add/")
    page.fill("#id_name", name)
    page.click("button[data-webauthn-start]")
    page.wait_for_url(lambda url: "/accounts/2fa/keys/add/" not in url)
    if "/accounts/2fa/keys/added/" in page.url:
        assert page.locator("ul.recovery-codes li").count() == twofactor.RECOVERY_CODE_COUNT
        page.click("text=I have saved them, continue")
        page.wait_for_load_state()


def _use_key(page) -> None:
    page.wait_for_url("**/accounts/2fa/verify/**")
    page.click("button[data-webauthn-start]")


def test_a_delegate_enrols_a_key_and_signs_in_with_password_and_key(
    forum, page, live_server, browser_orm, save_screenshot
) -> None:
    _virtual_authenticator(page)
    _password(page, live_server, "ind")
    assert page.url == f"{live_server.url}/"  # no factor yet: the password is enough
    page.goto(f"{live_server.url}/accounts/2fa/keys/add/")
    save_screenshot(page, "securitykey-add")
    # No name: the server's refusal is shown where the script reports, nothing is enrolled.
    page.click("button[data-webauthn-start]")
    alert = page.locator("[data-webauthn-status]")
    alert.wait_for(state="visible")
    assert "required" in alert.inner_text()
    with browser_orm():
        assert not SecurityKey.objects.filter(user=forum["ind"]).exists()
    _enrol_key(page, live_server, "Blue key")
    with browser_orm():
        key = SecurityKey.objects.get(user=forum["ind"])
        assert key.name == "Blue key"
        enrolled = AuditEvent.objects.filter(action="twofactor.enrolled").latest("id")
        assert enrolled.detail["device"] == "security_key"
        assert enrolled.actor == forum["ind"]

    _logout(page)
    _password(page, live_server, "ind")
    assert "/accounts/2fa/verify/" in page.url
    assert page.locator("button[data-webauthn-start]").is_visible()
    save_screenshot(page, "securitykey-verify")
    _use_key(page)
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").first.is_visible()
    with browser_orm():
        used = AuditEvent.objects.filter(action="login.second_factor").latest("id")
        assert used.detail["device"] == "security_key"
        assert used.actor == forum["ind"]
        key.refresh_from_db()
        assert key.sign_count > 0
        assert key.last_used_at is not None


def test_the_secretariat_with_only_a_key_passes_the_required_gate(
    forum, page, live_server, browser_orm
) -> None:
    with browser_orm():
        twofactor.do_reset_two_factor(forum["secretariat"], actor=forum["chair"])
    _virtual_authenticator(page)
    _password(page, live_server, "secretariat")
    page.wait_for_url("**/accounts/2fa/enrol/**")
    page.click("text=Use a security key instead")
    page.wait_for_url("**/accounts/2fa/keys/add/**")
    _enrol_key(page, live_server, "Office key")
    assert page.url == f"{live_server.url}/"
    with browser_orm():
        assert [d.name for d in twofactor.confirmed_devices(forum["secretariat"])] == [
            "Recovery codes",
            "Office key",
        ] or {d.name for d in twofactor.confirmed_devices(forum["secretariat"])} == {
            "Recovery codes",
            "Office key",
        }
        assert not twofactor.has_totp(forum["secretariat"])

    _logout(page)
    _password(page, live_server, "secretariat")
    # The gate: nothing but the second step until the key answers.
    page.goto(f"{live_server.url}/documents/")
    assert "/accounts/2fa/verify/" in page.url
    _use_key(page)
    page.wait_for_url(f"{live_server.url}/documents/")


def test_a_cloned_key_is_refused_with_a_clear_message_and_an_audit_row(
    forum, page, live_server, browser_orm
) -> None:
    cdp, authenticator = _virtual_authenticator(page)
    _password(page, live_server, "ind")
    _enrol_key(page, live_server, "Blue key")
    _logout(page)
    _password(page, live_server, "ind")
    _use_key(page)
    page.wait_for_url(f"{live_server.url}/")
    _logout(page)

    # A copy of the key made before its last use: same private key, an older counter.
    (credential,) = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})[
        "credentials"
    ]
    assert credential["signCount"] >= 2
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    cdp.send(
        "WebAuthn.addCredential",
        {"authenticatorId": authenticator, "credential": {**credential, "signCount": 0}},
    )
    _password(page, live_server, "ind")
    _use_key(page)
    alert = page.locator("[data-webauthn-status]")
    alert.wait_for(state="visible")
    assert "counter went backwards" in alert.inner_text()
    assert "/accounts/2fa/verify/" in page.url
    page.goto(f"{live_server.url}/")
    assert "/accounts/2fa/verify/" in page.url  # still not signed in
    with browser_orm():
        failed = AuditEvent.objects.filter(action="login.failed").latest("id")
        assert failed.actor_name == "ind"
        assert failed.detail["step"] == "security_key"
        assert failed.detail["reason"].startswith("sign_count")


def test_a_removed_key_is_refused_and_a_captured_answer_cannot_be_replayed(
    forum, page, live_server, browser_orm
) -> None:
    cdp, first = _virtual_authenticator(page)
    _password(page, live_server, "ind")
    _enrol_key(page, live_server, "Key A")
    (key_a,) = cdp.send("WebAuthn.getCredentials", {"authenticatorId": first})["credentials"]

    # A second key on a second authenticator (the first one unplugged).
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": first})
    second = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]
    _enrol_key(page, live_server, "Key B")
    with browser_orm():
        assert SecurityKey.objects.filter(user=forum["ind"]).count() == 2
        key_a_row = SecurityKey.objects.get(user=forum["ind"], name="Key A")

    # Removing key A asks for a factor again (key B answers), then removes it.
    page.goto(f"{live_server.url}/accounts/security/")
    page.locator("ul.security-keys li", has_text="Key A").locator("text=Remove").click()
    page.wait_for_url("**/accounts/2fa/confirm/**")
    page.click("button[data-webauthn-start]")
    page.wait_for_url(f"**/accounts/2fa/keys/{key_a_row.pk}/remove/")
    page.click("form button.contrast")
    page.wait_for_url("**/accounts/security/")
    assert "Key A" in page.locator(".messages").inner_text()
    with browser_orm():
        assert list(
            SecurityKey.objects.filter(user=forum["ind"]).values_list("name", flat=True)
        ) == ["Key B"]
        removed = AuditEvent.objects.filter(action="twofactor.removed").latest("id")
        assert removed.detail["key"] == "Key A"
        assert AuditEvent.objects.filter(action="twofactor.reconfirmed").exists()

    # Sign in with key B, capturing what the browser sends.
    captured: list[str] = []

    def keep(route) -> None:
        captured.append(route.request.post_data or "")
        route.continue_()

    page.route("**/accounts/2fa/keys/login/complete/", keep)
    _logout(page)
    _password(page, live_server, "ind")
    _use_key(page)
    page.wait_for_url(f"{live_server.url}/")
    page.unroute("**/accounts/2fa/keys/login/complete/")
    assert len(captured) == 1
    _logout(page)

    # The captured answer, replayed in a new sign-in: refused, whether or not a challenge waits.
    _password(page, live_server, "ind")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    complete = f"{live_server.url}/accounts/2fa/keys/login/complete/"
    begin = f"{live_server.url}/accounts/2fa/keys/login/begin/"
    replay = page.request.post(complete, data=captured[0], headers=headers)
    assert replay.status == 400
    assert "expired or was already used" in replay.json()["error"]
    assert page.request.post(begin, data="{}", headers=headers).status == 200
    replay = page.request.post(complete, data=captured[0], headers=headers)
    assert replay.status == 400
    assert "could not be verified" in replay.json()["error"]

    # Key A (unplugged, and removed from the account) is plugged in again and signs: refused.
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": second})
    cdp2, third = _virtual_authenticator(page)
    cdp2.send("WebAuthn.addCredential", {"authenticatorId": third, "credential": key_a})
    answer = page.evaluate(
        """async ([begin, complete, token, credentialId]) => {
            const headers = {"X-CSRFToken": token, "Content-Type": "application/json"};
            const started = await fetch(begin, {method: "POST", headers, body: "{}"});
            const options = await started.json();
            const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")
                + "===".slice((s.length + 3) % 4)), (c) => c.charCodeAt(0));
            const text = (b) => btoa(String.fromCharCode(...new Uint8Array(b)))
                .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
            const got = await navigator.credentials.get({publicKey: {
                challenge: bytes(options.challenge), rpId: options.rpId,
                allowCredentials: [{type: "public-key", id: bytes(credentialId)}]}});
            const credential = {id: got.id, rawId: text(got.rawId), type: got.type,
                clientExtensionResults: {}, response: {
                clientDataJSON: text(got.response.clientDataJSON),
                authenticatorData: text(got.response.authenticatorData),
                signature: text(got.response.signature)}};
            const response = await fetch(complete, {method: "POST", headers,
                body: JSON.stringify({credential})});
            return {status: response.status, body: await response.json()};
        }""",
        [begin, complete, token, key_a["credentialId"]],
    )
    assert answer["status"] == 400, answer
    assert "not registered to your account" in answer["body"]["error"]
    with browser_orm():
        reasons = list(
            AuditEvent.objects.filter(action="login.failed", actor_name="ind")
            .order_by("id")
            .values_list("detail", flat=True)
        )
        assert [r["reason"].split(":")[0] for r in reasons] == [
            "no_challenge",
            "invalid",
            "unknown_key",
        ]
        assert "challenge" in reasons[1]["reason"]
    assert json.loads(captured[0])["credential"]["id"]
