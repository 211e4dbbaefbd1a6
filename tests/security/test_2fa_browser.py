"""The two-factor steps in a real browser: the secretariat's code through the `login` fixture,
and a chair enrolling an authenticator app from the QR page."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp

from secretariat.accounts import twofactor

pytestmark = pytest.mark.browser


def test_the_secretariat_gives_the_code_and_reaches_the_dashboard(
    forum, page, login, live_server
) -> None:
    login(page, "secretariat")
    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").first.is_visible()
    assert "/accounts/2fa/" not in page.url


def test_a_chair_without_a_device_enrols_from_the_qr_page(
    forum, page, live_server, browser_orm, save_screenshot
) -> None:
    twofactor.do_reset_two_factor(forum["chair"], actor=forum["secretariat"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chair")
    page.fill("#id_password", "demo")
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/2fa/enrol/**")
    assert page.locator("figure.qr-code svg").count() == 1
    save_screenshot(page, "2fa-enrol")

    secret = page.locator(".totp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_token", f"{totp(key):06d}")
    page.click("form:not([action]) button[type=submit]")
    page.wait_for_selector("ul.recovery-codes")
    codes = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT
    page.click("text=I have saved them, continue")
    page.wait_for_url(f"{live_server.url}/")
    with browser_orm():
        assert twofactor.has_device(forum["chair"])
