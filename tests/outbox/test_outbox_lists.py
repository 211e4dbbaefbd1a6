"""Distribution lists: who is on each, and why; the secretariat's page."""

from __future__ import annotations

import pytest
from django.utils import translation

from secretariat.accounts.models import Delegation, Role, User
from secretariat.outbox.lists import Audience, ListSpec, members_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officials(forum) -> dict[str, User]:
    """India registers a contact point and a head of delegation; China only a head; the other
    demo delegations (Russia, Israel) registered neither. Accounts are made by the admin."""
    ind = Delegation.objects.get(code="IND")
    chn = Delegation.objects.get(code="CHN")
    return {
        "ind_cp": User.objects.create_user(
            "ind_cp", email="cp@ind.test", role=Role.CONTACT_POINT, delegation=ind
        ),
        "ind_head": User.objects.create_user(
            "ind_head", email="head@ind.test", delegation=ind, is_head_of_delegation=True
        ),
        "chn_head": User.objects.create_user(
            "chn_head", email="head@chn.test", delegation=chn, is_head_of_delegation=True
        ),
        "gone": User.objects.create_user(
            "gone", email="x@ind.test", role=Role.CONTACT_POINT, delegation=ind, is_active=False
        ),
    }


def _names(members) -> list[str]:
    return [m.user.username for m in members]


def test_official_mail_reaches_contact_points_and_heads_else_delegates(forum, officials) -> None:
    members = members_of(ListSpec(delegations=("IND", "CHN", "RUS")))
    assert _names(members) == ["chn_head", "ind_head", "ind_cp", "rus"]
    reasons = {m.user.username: m.reason for m in members}
    assert reasons["ind_cp"].startswith("contact point of India")
    assert reasons["chn_head"].startswith("head of delegation of China")
    assert "no contact point or head of delegation registered" in reasons["rus"]


def test_all_member_states_and_bodies(forum, officials) -> None:
    everyone = members_of(ListSpec(all_member_states=True, audience=Audience.ALL))
    names = _names(everyone)
    assert {"ind", "ind_cp", "ind_head", "chn", "chn_head", "rus", "isr"} <= set(names)
    assert not {"secretariat", "observer", "chair", "gone"} & set(names)
    assert len(names) == len(set(names))  # each person once
    ict = members_of(ListSpec(bodies=("ICT-WG",)))
    assert _names(ict) == ["chn_head", "rus"]
    assert all("sits in ICT-WG" in m.reason for m in ict)
    heads = members_of(ListSpec(all_member_states=True, audience=Audience.HEADS))
    assert _names(heads) == ["chn_head", "ind_head"]
    cps = members_of(ListSpec(all_member_states=True, audience=Audience.CONTACT_POINTS))
    assert _names(cps) == ["ind_cp"]


def test_reasons_are_translated(forum, officials) -> None:
    with translation.override("ru"):
        (member,) = members_of(ListSpec(delegations=("CHN",)))
    assert member.reason.startswith("глава делегации: Китай")


def test_list_id_is_stable_and_rfc2919_shaped(forum) -> None:
    spec = ListSpec(bodies=("ICT-WG",))
    assert spec.list_id == "<body-ict-wg-official.localhost>"
    assert spec.list_id == ListSpec(bodies=("ICT-WG",)).list_id


def test_lists_page_for_the_secretariat_only(forum, officials, client_for) -> None:
    page = client_for("secretariat").get("/outbox/lists/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "head@chn.test" in html and "head of delegation of China" in html
    assert "ICT-WG" in html
    for name in ("ind", "observer", "chair"):
        assert client_for(name).get("/outbox/lists/").status_code == 404
    assert client_for(None).get("/outbox/lists/").status_code == 302  # to the login page
