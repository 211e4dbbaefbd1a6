"""Mandates: one given by a body for its next meeting shows on the next Senior Officials'
review item (through the panel function m1's agenda pages call), its status changes when the
report arrives, and the guidance given at the review is recorded against it."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from secretariat.accounts.models import Body, User
from secretariat.programme import actions
from secretariat.programme.integration import review_list, review_panel
from secretariat.programme.models import MandateStatus

pytestmark = pytest.mark.django_db


def review_item(body: Body, on: date, kind: str = "review") -> SimpleNamespace:
    """An agenda item as meetings has it: kind, pk, and its meeting (body, date)."""
    return SimpleNamespace(kind=kind, pk=7, meeting=SimpleNamespace(body_id=body.pk, starts_on=on))


def test_mandate_on_next_review_and_status_follows_the_report(forum, add_document) -> None:
    soc = Body.objects.get(code="SOC")
    mc = Body.objects.get(code="MC")
    mandate = actions.do_create_mandate(
        "Request the Chairmanship to prepare a road map",
        given_by=mc,
        given_on=date(2026, 10, 1),
        assignee="chairmanship",
        due_meeting_of=soc,
        actor=forum["secretariat"],
    )
    ind = forum["ind"]
    panel = review_panel(review_item(soc, date(2026, 12, 10)), ind)
    assert "prepare a road map" in panel and "open" in panel
    # Not on another kind of item, nor on a meeting held before the mandate was given.
    assert review_panel(review_item(soc, date(2026, 12, 10), kind="general"), ind) == ""
    assert review_list(ind, soc.pk, date(2026, 9, 1)).mandates == []
    # The observer sees no members-only mandate.
    assert review_list(forum["observer"], soc.pk, date(2026, 12, 10)).mandates == []

    report = add_document("Road map for the CICA transformation.", title="Road map")
    actions.do_receive_mandate_report(mandate, report, actor=forum["chair"])
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.REPORTED and mandate.report_id == report.pk
    assert "report received" in review_panel(review_item(soc, date(2026, 12, 10)), ind)

    actions.do_record_guidance(
        "The SOC welcomed the road map and asked for an implementation plan.",
        mandate=mandate,
        agenda_item_id=7,
        close=True,
        actor=forum["secretariat"],
    )
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.CLOSED
    assert mandate.guidance.get().agenda_item_id == 7
    assert review_list(ind, soc.pk, date(2026, 12, 10)).mandates == []


def test_review_lists_initiative_reports_due(forum, make_initiative, submit_report) -> None:
    soc = Body.objects.get(code="SOC")
    ict = make_initiative()
    actions.do_set_reporting_cycle(
        ict,
        start_on=date(2026, 6, 1),
        every_months=6,
        remind_days=14,
        actor=forum["secretariat"],
    )
    found = review_list(forum["ind"], soc.pk, date(2026, 7, 1))
    assert [(r.initiative.pk, r.cycle, r.report) for r in found.reports] == [(ict.pk, 0, None)]
    assert "missing" in review_panel(review_item(soc, date(2026, 7, 1)), forum["ind"])
    report = submit_report(ict, cycle=0)
    found = review_list(User.objects.get(username="ind"), soc.pk, date(2026, 7, 1))
    assert found.reports[0].report == report


def test_mandate_due_by_a_date(forum) -> None:
    soc = Body.objects.get(code="SOC")
    actions.do_create_mandate(
        "Submit progress reports",
        given_by=soc,
        given_on=date(2026, 1, 1),
        assignee="lead_country",
        due_on=date(2026, 3, 1),
        actor=forum["secretariat"],
    )
    assert len(review_list(forum["ind"], None, date(2026, 3, 1)).mandates) == 1
    assert review_list(forum["ind"], None, date(2026, 2, 28)).mandates == []
    with pytest.raises(ValueError):
        actions.do_create_mandate(
            "No due",
            given_by=soc,
            given_on=date(2026, 1, 1),
            assignee="secretariat",
            actor=forum["secretariat"],
        )


def test_mandate_page_lists_visible_mandates(forum, client_for) -> None:
    soc = Body.objects.get(code="SOC")
    actions.do_create_mandate(
        "Secret task",
        given_by=soc,
        given_on=date.today(),
        assignee="secretariat",
        due_on=date.today() + timedelta(days=5),
        access_level="secretariat",
        actor=forum["secretariat"],
    )
    assert "Secret task" in client_for("secretariat").get("/programme/mandates/").content.decode()
    assert "Secret task" not in client_for("ind").get("/programme/mandates/").content.decode()
