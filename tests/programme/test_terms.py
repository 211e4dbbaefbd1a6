"""Term-bound roles: chair rights follow the recorded term's holders from the handover on,
not before (a planned end date switches nothing); without recorded terms the chair role
decides; the handover page shows the incoming holder what the outgoing one left open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from secretariat.accounts.access import holds_chairmanship, is_steering
from secretariat.accounts.models import Body, Delegation, User
from secretariat.negotiation.access import can_start, is_chair
from secretariat.programme import actions
from secretariat.programme.models import Term

pytestmark = pytest.mark.django_db


def fresh(username: str) -> User:
    return User.objects.get(username=username)  # rights are cached per user object


def test_without_terms_the_chair_role_decides(forum) -> None:
    assert holds_chairmanship(fresh("chair"))
    assert not holds_chairmanship(fresh("ind"))


def test_chair_rights_pass_at_the_recorded_handover_and_not_before(forum) -> None:
    now = timezone.now()
    actions.do_record_handover(
        Delegation.objects.get(code="CHAIR"),
        [forum["chair"]],
        at=now - timedelta(days=700),
        planned_end=date.today() - timedelta(days=10),  # passed: a reminder, not a switch
        actor=forum["secretariat"],
    )
    assert holds_chairmanship(fresh("chair")) and can_start(fresh("chair"))

    # The Ministerial Council that elected India opens in an hour: recorded now.
    handover_at = now + timedelta(hours=1)
    incoming = actions.do_record_handover(
        Delegation.objects.get(code="IND"),
        [forum["ind"]],
        at=handover_at,
        elected_by="Ministerial Council",
        actor=forum["secretariat"],
    )
    assert holds_chairmanship(fresh("chair"))  # not before the handover
    assert not holds_chairmanship(fresh("ind"))
    assert not is_chair(fresh("ind")) and not can_start(fresh("ind"))
    assert not is_steering(fresh("ind"))

    # The council opens: move the recorded moment into the past (the test moves the row).
    passed = now - timedelta(seconds=1)
    Term.objects.filter(pk=incoming.pk).update(started_at=passed)
    Term.objects.filter(pk=incoming.previous_id).update(ended_at=passed)
    assert holds_chairmanship(fresh("ind")) and is_chair(fresh("ind")) and can_start(fresh("ind"))
    assert is_steering(fresh("ind"))
    assert not holds_chairmanship(fresh("chair"))  # the role no longer gives the rights
    assert not can_start(fresh("chair"))


def test_handover_page_for_the_incoming_holder(forum, client_for, make_initiative) -> None:
    now = timezone.now()
    actions.do_record_handover(
        Delegation.objects.get(code="CHN"),
        [forum["chn"]],
        at=now - timedelta(days=30),
        actor=forum["secretariat"],
    )
    make_initiative("CBM led by China", leads=("CHN",))
    actions.do_create_mandate(
        "Prepare a road map",
        given_by=Body.objects.get(code="MC"),
        given_on=date.today(),
        assignee="chairmanship",
        due_on=date.today() + timedelta(days=90),
        actor=forum["secretariat"],
    )
    actions.do_record_handover(
        Delegation.objects.get(code="IND"),
        [forum["ind"]],
        at=now - timedelta(minutes=1),
        actor=forum["secretariat"],
    )
    page = client_for("ind").get("/programme/handover/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "CBM led by China" in html and "Prepare a road map" in html
    assert client_for("rus").get("/programme/handover/").status_code == 403
    assert client_for("secretariat").get("/programme/handover/").status_code == 200


def test_handover_page_404_without_a_term(forum, client_for) -> None:
    assert client_for("ind").get("/programme/handover/").status_code == 404
