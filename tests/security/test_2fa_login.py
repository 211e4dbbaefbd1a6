"""Two-factor sign-in: enforced for the secretariat and the Chairmanship, optional for others,
throttled like the password, recovery codes that work once, a reset only by another officer.

Every test signs in through the real login form (force_login skips the second step)."""

from __future__ import annotations

import base64
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.accounts import twofactor
from secretariat.accounts.models import Role, User
from secretariat.core.models import AuditEvent
from secretariat.demo.forum import DEMO_TOTP_KEY, demo_totp_code

VERIFY = reverse("twofactor-verify")
ENROL = reverse("twofactor-enrol")


def _password_login(username: str, next_url: str = "") -> tuple[Client, str]:
    client = Client()
    data = {"username": username, "password": "demo"}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("login"), data)
    assert response.status_code == 302, response.content[:500]
    return client, response["Location"]


def _code_that_is_wrong() -> str:
    valid = {f"{totp(bytes.fromhex(DEMO_TOTP_KEY), drift=d):06d}" for d in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


def _enrol(client: Client, user: User) -> list[str]:
    """Go through the enrolment page as a phone would: read the key, answer with a code."""
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code is drawn by the server, inline
    secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', html).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    assert TOTPDevice.objects.get(user=user, confirmed=False).bin_key == key
    done = client.post(ENROL, {"token": f"{totp(key):06d}"})
    assert done.status_code == 200
    return list(done.context["codes"])


@pytest.mark.parametrize("username", ["secretariat", "chair"])
def test_a_required_role_reaches_no_page_before_the_second_step(forum, username) -> None:
    client, location = _password_login(username, next_url=reverse("documents:list"))
    assert location.startswith(VERIFY)
    for url in ("/", reverse("documents:list"), reverse("account-security"), "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    assert client.get(VERIFY).status_code == 200

    response = client.post(VERIFY, {"token": demo_totp_code(), "next": reverse("documents:list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:list")
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(action="login.second_factor").latest("id")
    assert event.actor == forum[username]
    assert event.detail["device"] == "totp"


def test_a_required_role_without_a_device_must_enrol_first(forum) -> None:
    chair = forum["chair"]
    twofactor.do_reset_two_factor(chair, actor=forum["secretariat"])
    client, location = _password_login("chair")
    assert location.startswith(ENROL)
    for url in ("/", reverse("account-security"), VERIFY):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)

    codes = _enrol(client, chair)
    assert len(codes) == twofactor.RECOVERY_CODE_COUNT == len(set(codes))
    assert TOTPDevice.objects.get(user=chair).confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="twofactor.enrolled", actor=chair).exists()


def test_a_wrong_enrolment_code_confirms_nothing(forum) -> None:
    chair = forum["chair"]
    twofactor.do_reset_two_factor(chair, actor=forum["secretariat"])
    client, _ = _password_login("chair")
    client.get(ENROL)
    response = client.post(ENROL, {"token": _code_that_is_wrong()})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert not TOTPDevice.objects.filter(user=chair, confirmed=True).exists()
    assert client.get("/")["Location"].startswith(ENROL)


def test_a_delegate_without_a_device_signs_in_with_the_password_alone(forum) -> None:
    client, location = _password_login("ind")
    assert location == reverse("dashboard")
    assert client.get("/").status_code == 200
    assert client.get(reverse("account-security")).status_code == 200


def test_a_delegate_who_enrolled_must_give_a_code(forum) -> None:
    client, _ = _password_login("ind")
    _enrol(client, forum["ind"])
    assert client.get("/").status_code == 200  # the enrolling session is verified

    again, location = _password_login("ind")
    assert location.startswith(VERIFY)
    assert again.get("/")["Location"].startswith(VERIFY)


def test_a_wrong_code_is_refused_and_the_second_step_is_throttled(forum, settings) -> None:
    client, _ = _password_login("secretariat")
    wrong = _code_that_is_wrong()
    for _ in range(settings.LOGIN_THROTTLE_FAILURES):
        response = client.post(VERIFY, {"token": wrong})
        assert response.status_code == 200
        assert response.context["form"].errors["token"]
    failures = AuditEvent.objects.filter(action="login.failed", actor_name="secretariat")
    assert failures.count() == settings.LOGIN_THROTTLE_FAILURES
    assert {e.detail["step"] for e in failures} == {"second_factor"}

    # Locked out: even the right code is refused now, and nothing opens.
    response = client.post(VERIFY, {"token": demo_totp_code()})
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    assert not AuditEvent.objects.filter(action="login.second_factor").exists()


def test_garbage_in_the_code_field_is_a_form_error_not_a_crash(forum) -> None:
    client, _ = _password_login("secretariat")
    for token in ("12\x0034", "x" * 65, ""):
        response = client.post(VERIFY, {"token": token})
        assert response.status_code == 200
        assert response.context["form"].errors


def test_a_recovery_code_works_once(forum) -> None:
    ind = forum["ind"]
    client, _ = _password_login("ind")
    codes = _enrol(client, ind)

    first, _ = _password_login("ind")
    response = first.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 302
    assert first.get("/").status_code == 200
    event = AuditEvent.objects.filter(action="login.second_factor", actor=ind).latest("id")
    assert event.detail == {"device": "recovery_code", "recovery_codes_left": 9}
    assert StaticToken.objects.filter(device__user=ind).count() == 9

    second, _ = _password_login("ind")
    response = second.post(VERIFY, {"token": codes[0]})
    assert response.status_code == 200
    assert second.get("/")["Location"].startswith(VERIFY)
    # Another, unused code still works.
    assert second.post(VERIFY, {"token": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(forum) -> None:
    ind = forum["ind"]
    client, _ = _password_login("ind")
    old = _enrol(client, ind)
    response = client.post(reverse("twofactor-recovery-codes"))
    new = list(response.context["codes"])
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.filter(device__user=ind).values_list("token", flat=True)) == (
        set(new)
    )
    assert AuditEvent.objects.filter(action="twofactor.recovery_codes_renewed").count() == 1


def test_a_lost_device_is_reset_by_another_officer_only(forum, client_for) -> None:
    chair = forum["chair"]
    other = User.objects.create_user(
        "officer2", password="demo", role=Role.SECRETARIAT, first_name="Second"
    )
    chair_client, _ = _password_login("chair")
    chair_client.post(VERIFY, {"token": demo_totp_code()})
    assert chair_client.get("/").status_code == 200
    reset_url = reverse("twofactor-reset", args=[chair.pk])

    # The outsider (a delegate) does not see the page; the chair cannot reset themselves.
    assert client_for("ind").post(reset_url).status_code == 404
    assert client_for("chair").post(reset_url).status_code == 404
    own = reverse("twofactor-reset", args=[forum["secretariat"].pk])
    assert client_for("secretariat").post(own).status_code == 403
    assert TOTPDevice.objects.filter(user=chair).exists()

    officer = Client()
    officer.force_login(other)
    page = officer.get(reverse("account-user-security", args=[chair.pk]))
    assert page.status_code == 200
    assert officer.post(reset_url).status_code == 302

    assert not TOTPDevice.objects.filter(user=chair).exists()
    event = AuditEvent.objects.get(action="twofactor.reset")
    assert (event.actor, event.object_id, event.detail["removed"]) == (other, str(chair.pk), 1)
    # The chair's open session ended with the reset; the next sign-in asks for a new device.
    assert chair_client.get("/")["Location"].startswith(reverse("login"))
    _, location = _password_login("chair")
    assert location.startswith(ENROL)


def test_next_never_leads_off_site(forum) -> None:
    client, _ = _password_login("secretariat")
    response = client.post(VERIFY, {"token": demo_totp_code(), "next": "https://evil.test/"})
    assert response["Location"] == reverse("dashboard")


def test_the_second_step_speaks_russian(forum) -> None:
    client, _ = _password_login("secretariat")
    client.cookies["django_language"] = "ru"
    html = client.get(VERIFY, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Второй шаг" in html
    assert "резервных кодов" in html
