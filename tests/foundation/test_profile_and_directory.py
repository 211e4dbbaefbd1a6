"""The profile page (name, email, language, time zone, password change) and the directory of
delegations (contact points for members only)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from secretariat.accounts.models import User
from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PROFILE = {
    "first_name": "Priya",
    "last_name": "Raman-Iyer",
    "email": "priya@example.org",
    "language": "ru",
    "time_zone": "Asia/Kolkata",
}


def test_profile_edit_saves_and_audits(forum, client_for) -> None:
    client = client_for("ind")
    assert client.get(reverse("account-profile")).status_code == 200
    response = client.post(reverse("account-profile"), PROFILE)
    assert response.status_code == 302
    user = User.objects.get(username="ind")
    # The new email address waits for its confirmation (tests/outbox/test_email_change_mail.py).
    assert (user.last_name, user.email, user.language, user.time_zone) == (
        "Raman-Iyer",
        forum["ind"].email,
        "ru",
        "Asia/Kolkata",
    )
    assert response.cookies["django_language"].value == "ru"
    event = AuditEvent.objects.get(action="account.profile")
    assert event.detail["new"]["time_zone"] == "Asia/Kolkata"
    assert event.detail["old"]["time_zone"] == "UTC"
    # The same values again change nothing and write nothing.
    client.post(reverse("account-profile"), PROFILE)
    assert AuditEvent.objects.filter(action="account.profile").count() == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("time_zone", "Mars/Olympus"),
        ("language", "xx"),
        ("email", "not-an-address"),
        ("first_name", "Pri\x00ya"),
        ("last_name", "x" * 151),
    ],
)
def test_profile_refuses_bad_values_without_a_500(forum, client_for, field, value) -> None:
    response = client_for("ind").post(reverse("account-profile"), {**PROFILE, field: value})
    assert response.status_code == 400
    assert User.objects.get(username="ind").time_zone == "UTC"


def test_password_change_then_login_with_the_new_one(forum, client_for) -> None:
    client = client_for("ind")
    user = forum["ind"]
    user.set_password("old-Secret-2026")
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("account-password-change"),
        {
            "old_password": "old-Secret-2026",
            "new_password1": "Brand-new-Phrase-77",
            "new_password2": "Brand-new-Phrase-77",
        },
    )
    assert response.status_code == 302
    assert Client().login(username="ind", password="Brand-new-Phrase-77")
    assert AuditEvent.objects.filter(action="account.password_change").exists()
    # The session that changed it stays signed in.
    assert client.get(reverse("account-profile")).status_code == 200


def test_directory_shows_members_the_contact_points_and_bodies(forum, client_for) -> None:
    html = client_for("chn").get(reverse("directory")).content.decode()
    assert 'id="d-IND"' in html and 'id="d-RUS"' in html
    assert "ind@demo.secretariat.test" in html  # India's delegate, as no contact point is listed
    assert "ICT-WG" in html  # the bodies RUS sits in
    rus_row = html[html.index('id="d-RUS"') :].split("</tr>")[0]
    assert "ICT-WG" in rus_row and "SWG" in rus_row
    ind_row = html[html.index('id="d-IND"') :].split("</tr>")[0]
    assert "ICT-WG" not in ind_row


def test_directory_hides_contact_points_from_observers_and_outsiders(forum, client_for) -> None:
    html = client_for("observer").get(reverse("directory")).content.decode()
    assert 'id="d-IND"' in html  # the forum's structure, as on the forum page
    assert "@demo.secretariat.test" not in html
    assert "Contact points are shown to the members of the forum." in html
    anonymous = Client().get(reverse("directory"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
