"""The secretariat's pages over the programme's actions: a work programme created and revised,
initiatives created and changed (joins and leaves with dates, milestones), mandates by hand with
guidance, a recorded handover. Each: valid -> rows and an audit row; invalid (too long, NUL,
dates out of range) -> 400 with the form and the input kept; others 403, outsiders 404."""

from __future__ import annotations

from datetime import date

import pytest

from secretariat.core.models import AuditEvent
from secretariat.programme import actions
from secretariat.programme.models import (
    Area,
    Guidance,
    Initiative,
    Mandate,
    Milestone,
    Participation,
    ProgrammeVersion,
    Term,
    WorkProgramme,
)

pytestmark = pytest.mark.django_db

AREAS = (
    "1 | Economic dimension | Trade and investment\n"
    "1.1 | Small and medium enterprises\n"
    "2 | New challenges and threats\n"
    "2.1 | Security of and in the use of ICTs | Expert meetings\n"
)
PROGRAMME = {
    "title": "CICA work programme 2025-2026",
    "period_start": "2025-01-01",
    "period_end": "2026-12-31",
    "areas": AREAS,
    "adopted_by": "SOC",
    "adopted_on": "2024-12-10",
}


def _audited(action: str) -> bool:
    return AuditEvent.objects.filter(action=action).exists()


def _programme(client_for) -> WorkProgramme:
    response = client_for("secretariat").post("/programme/new/", PROGRAMME)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return WorkProgramme.objects.get()


def test_create_and_revise_a_work_programme(forum, client_for) -> None:
    assert client_for("secretariat").get("/programme/new/").status_code == 200
    programme = _programme(client_for)
    v1 = programme.current
    assert v1.number == 1 and v1.adopted_by.code == "SOC"
    tree = {
        a.code: (a.title, a.parent.code if a.parent else None, a.activities)
        for a in Area.objects.filter(version=v1)
    }
    assert tree == {
        "1": ("Economic dimension", None, "Trade and investment"),
        "1.1": ("Small and medium enterprises", "1", ""),
        "2": ("New challenges and threats", None, ""),
        "2.1": ("Security of and in the use of ICTs", "2", "Expert meetings"),
    }
    assert _audited("programme.create") and _audited("programme.adopt")

    page = client_for("secretariat").get(f"/programme/{programme.pk}/revise/").content.decode()
    assert "2.1 | Security of and in the use of ICTs | Expert meetings" in page
    revised = AREAS + "3 | Human dimension\n"
    response = client_for("secretariat").post(
        f"/programme/{programme.pk}/revise/",
        {"areas": revised, "adopted_by": "MC", "adopted_on": "2025-06-01"},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.current.number == 2 and programme.current.adopted_by.code == "MC"
    assert Area.objects.filter(version=programme.current).count() == 5
    assert Area.objects.filter(version=v1).count() == 4  # the first version is kept
    assert ProgrammeVersion.objects.count() == 2
    overview = client_for("ind").get("/programme/").content.decode()
    assert "Human dimension" in overview


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "x" * 301, "at most 300"),
        ("title", "Programme\x00", "Null characters are not allowed"),
        ("period_start", "0001-01-01", "between 2000 and 2100"),
        ("period_end", "2024-01-01", "ends after it starts"),
        ("areas", "1.1 | A cluster without its area", "no area 1 above"),
        ("areas", "no title here", "code | title | activities"),
        ("areas", "1 | One\n1 | Again", "used twice"),
        ("adopted_by", "NOSUCH", "Select a valid choice"),
        ("adopted_on", "27513-01-01", "Enter a valid date"),
    ],
)
def test_invalid_programme_is_a_400_with_the_form_kept(
    forum, client_for, field, value, message
) -> None:
    data = PROGRAMME | {field: value}
    response = client_for("secretariat").post("/programme/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "CICA work programme" in page or field == "title"  # the input is kept
    assert WorkProgramme.objects.count() == 0


def test_programme_pages_are_the_secretariats(forum, client_for) -> None:
    programme = _programme(client_for)
    for user in ("ind", "chair", "observer"):
        client = client_for(user)
        assert client.get("/programme/new/").status_code == 403
        assert client.post("/programme/new/", PROGRAMME | {"title": "Other"}).status_code == 403
        assert (
            client.post(
                f"/programme/{programme.pk}/revise/",
                {"areas": AREAS, "adopted_by": "SOC", "adopted_on": "2025-01-01"},
            ).status_code
            == 403
        )
    assert WorkProgramme.objects.count() == 1 and ProgrammeVersion.objects.count() == 1
    assert client_for("secretariat").get("/programme/999999/revise/").status_code == 404
    assert client_for(None).get("/programme/new/").status_code == 302  # to the login page


INITIATIVE = {
    "title": "CBM: Security of and in the use of ICTs",
    "status": "ongoing",
    "lead": "CHN",
    "co_leads": ["RUS"],
    "joined_on": "2023-01-01",
    "access_level": "members",
    "body": "",
}


def _initiative(client_for, **over) -> Initiative:
    response = client_for("secretariat").post("/programme/initiatives/new/", INITIATIVE | over)
    assert response.status_code == 302, response.content.decode()[-3000:]
    initiative = Initiative.objects.get(title=(INITIATIVE | over)["title"])
    assert response["Location"] == f"/programme/initiatives/{initiative.pk}/manage/"
    return initiative


def test_create_an_initiative_then_join_leave_and_add_a_milestone(forum, client_for) -> None:
    programme = _programme(client_for)
    ict_area = Area.objects.get(version=programme.current, code="2.1")
    ict = _initiative(client_for, area=str(ict_area.pk))
    assert ict.area == ict_area and ict.status == "ongoing"
    assert sorted(ict.participations.values_list("delegation__code", "role")) == [
        ("CHN", "lead"),
        ("RUS", "co_lead"),
    ]
    base = f"/programme/initiatives/{ict.pk}"
    sec = client_for("secretariat")
    assert sec.get(f"{base}/manage/").status_code == 200

    assert (
        sec.post(
            f"{base}/join/",
            {"join-delegation": "KAZ", "join-role": "cosponsor", "join-on": "2024-03-01"},
        ).status_code
        == 302
    )
    kaz = Participation.objects.get(initiative=ict, delegation__code="KAZ")
    assert kaz.role == "cosponsor" and kaz.joined_on == date(2024, 3, 1)
    # the same delegation twice while it takes part: 400, no second row
    twice = sec.post(
        f"{base}/join/",
        {"join-delegation": "KAZ", "join-role": "cosponsor", "join-on": "2024-04-01"},
    )
    assert twice.status_code == 400 and "already takes part" in twice.content.decode()
    # leaving before joining: 400
    early = sec.post(f"{base}/leave/", {"leave-participation": kaz.pk, "leave-on": "2024-01-01"})
    assert early.status_code == 400 and "leaves after it joined" in early.content.decode()
    assert (
        sec.post(
            f"{base}/leave/", {"leave-participation": kaz.pk, "leave-on": "2025-02-01"}
        ).status_code
        == 302
    )
    kaz.refresh_from_db()
    assert kaz.left_on == date(2025, 2, 1)
    # joining again later is a new row; the old one is kept
    assert (
        sec.post(
            f"{base}/join/",
            {"join-delegation": "KAZ", "join-role": "co_lead", "join-on": "2025-09-01"},
        ).status_code
        == 302
    )
    assert Participation.objects.filter(initiative=ict, delegation__code="KAZ").count() == 2

    assert (
        sec.post(
            f"{base}/milestone/",
            {"milestone-title": "Expert meeting in Beijing", "milestone-due_on": "2025-05-20"},
        ).status_code
        == 302
    )
    assert list(Milestone.objects.values_list("title", "due_on")) == [
        ("Expert meeting in Beijing", date(2025, 5, 20))
    ]
    bad = sec.post(
        f"{base}/milestone/", {"milestone-title": "Far\x00", "milestone-due_on": "2999-01-01"}
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Null characters are not allowed" in page and "between 2000 and 2100" in page
    assert Milestone.objects.count() == 1

    edit = sec.post(
        f"{base}/manage/",
        {"edit-title": "CBM on ICT security", "edit-area": "", "edit-status": "completed"},
    )
    assert edit.status_code == 302
    ict.refresh_from_db()
    assert (ict.title, ict.area, ict.status) == ("CBM on ICT security", None, "completed")
    event = AuditEvent.objects.filter(action="initiative.update").get()
    assert (
        event.detail["old"]["status"] == "ongoing" and event.detail["new"]["status"] == "completed"
    )
    too_long = sec.post(f"{base}/manage/", {"edit-title": "y" * 301, "edit-status": "ongoing"})
    assert too_long.status_code == 400 and "y" * 301 in too_long.content.decode()
    for action in (
        "initiative.create",
        "initiative.join",
        "initiative.leave",
        "initiative.milestone",
    ):
        assert _audited(action), action


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"lead": "NOSUCH"}, "Select a valid choice"),
        ({"co_leads": ["CHN"]}, "not also a co-lead"),
        ({"access_level": "body", "body": ""}, "Choose the body"),
        ({"joined_on": "1999-12-31"}, "between 2000 and 2100"),
        ({"status": "abandoned"}, "Select a valid choice"),
    ],
)
def test_invalid_initiative_is_a_400_with_the_form_kept(forum, client_for, over, message) -> None:
    response = client_for("secretariat").post("/programme/initiatives/new/", INITIATIVE | over)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Initiative.objects.count() == 0


def test_initiative_pages_are_the_secretariats(forum, client_for) -> None:
    ict = _initiative(client_for, access_level="body", body="ICT-WG")
    base = f"/programme/initiatives/{ict.pk}"
    # a member of the group sees the initiative but may not change it
    rus = client_for("rus")
    assert rus.get(f"{base}/manage/").status_code == 403
    assert (
        rus.post(
            f"{base}/milestone/", {"milestone-title": "M", "milestone-due_on": "2025-01-01"}
        ).status_code
        == 403
    )
    assert (
        rus.post("/programme/initiatives/new/", INITIATIVE | {"title": "Other"}).status_code == 403
    )
    # India is outside the ICT working group
    ind = client_for("ind")
    assert ind.get(f"/programme/initiatives/{ict.pk}/").status_code == 404
    assert (
        ind.post(
            f"{base}/join/",
            {"join-delegation": "IND", "join-role": "cosponsor", "join-on": "2025-01-01"},
        ).status_code
        == 403
    )
    assert Initiative.objects.count() == 1 and Milestone.objects.count() == 0
    assert not Participation.objects.filter(delegation__code="IND").exists()
    # the secretariat does not find what does not exist
    assert client_for("secretariat").get("/programme/initiatives/999999/manage/").status_code == 404


MANDATE = {
    "task": "Request the Chairmanship to prepare a road map",
    "given_by": "SOC",
    "given_on": "2025-03-01",
    "assignee": "chairmanship",
    "assignee_body": "",
    "assignee_delegation": "",
    "due_on": "",
    "due_meeting_of": "SOC",
    "access_level": "members",
}


def test_create_a_mandate_by_hand_and_record_guidance(forum, client_for) -> None:
    sec = client_for("secretariat")
    assert sec.get("/programme/mandates/new/").status_code == 200
    assert sec.post("/programme/mandates/new/", MANDATE).status_code == 302
    mandate = Mandate.objects.get()
    assert mandate.assignee == "chairmanship" and mandate.due_meeting_of.code == "SOC"
    assert mandate.given_by.code == "SOC" and mandate.body.code == "SOC"
    assert "prepare a road map" in client_for("ind").get("/programme/mandates/").content.decode()

    url = f"/programme/mandates/{mandate.pk}/guidance/"
    assert sec.get(url).status_code == 200
    assert sec.post(url, {"text": "Circulate the road map by June."}).status_code == 302
    assert sec.post(url, {"text": "Done; closed.", "close": "on"}).status_code == 302
    mandate.refresh_from_db()
    assert mandate.status == "closed"
    assert list(Guidance.objects.values_list("text", flat=True)) == [
        "Circulate the road map by June.",
        "Done; closed.",
    ]
    bad = sec.post(url, {"text": "z" * 5001})
    assert bad.status_code == 400 and Guidance.objects.count() == 2
    assert _audited("mandate.create") and _audited("programme.guidance")
    assert client_for("ind").post(url, {"text": "Mine"}).status_code == 403
    assert Guidance.objects.count() == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"due_meeting_of": ""}, "Give a date or the body"),
        ({"assignee": "body"}, "Choose the body tasked"),
        ({"assignee": "lead_country"}, "Choose the country tasked"),
        ({"due_on": "2025-01-01"}, "due after it is given"),
        ({"task": "Road\x00map"}, "Null characters are not allowed"),
        ({"access_level": "public"}, "Select a valid choice"),
        ({"given_on": "0999-01-01"}, "between 2000 and 2100"),
    ],
)
def test_invalid_mandate_is_a_400(forum, client_for, over, message) -> None:
    response = client_for("secretariat").post("/programme/mandates/new/", MANDATE | over)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Mandate.objects.count() == 0


def test_mandate_pages_outsiders(forum, client_for) -> None:
    secret = actions.do_create_mandate(
        "Draft the ICT glossary",
        given_by=_body("ICT-WG"),
        given_on=date(2025, 1, 1),
        assignee="secretariat",
        due_on=date(2025, 6, 1),
        access_level="body",
        actor=forum["secretariat"],
    )
    assert client_for("ind").post("/programme/mandates/new/", MANDATE).status_code == 403
    assert client_for("secretariat").get("/programme/mandates/999999/guidance/").status_code == 404
    assert "ICT glossary" not in client_for("ind").get("/programme/mandates/").content.decode()
    assert Mandate.objects.count() == 1 and secret.body.code == "ICT-WG"


def _body(code: str):
    from secretariat.accounts.models import Body

    return Body.objects.get(code=code)


HANDOVER = {
    "role": "chairmanship",
    "delegation": "KAZ",
    "holders": [],
    "at": "2024-10-01T10:00",
    "planned_end": "2026-10-01",
    "elected_by": "Ministerial Council, 2022",
}


def test_record_a_handover(forum, client_for) -> None:
    sec = client_for("secretariat")
    assert sec.get("/programme/handover/record/").status_code == 200
    assert sec.post("/programme/handover/record/", HANDOVER).status_code == 302
    first = Term.objects.get()
    assert first.delegation.code == "KAZ" and first.ended_at is None
    incoming = HANDOVER | {
        "delegation": "AZE",
        "at": "2026-10-15T09:30",
        "planned_end": "2028-10-15",
        "elected_by": "MC 2026",
    }
    assert sec.post("/programme/handover/record/", incoming).status_code == 302
    first.refresh_from_db()
    second = Term.objects.get(ended_at__isnull=True)
    assert second.delegation.code == "AZE" and second.previous == first
    assert first.ended_at == second.started_at
    assert _audited("term.handover")
    # before the outgoing term's start: refused, 400, nothing changes
    early = sec.post(
        "/programme/handover/record/", HANDOVER | {"delegation": "IND", "at": "2020-01-01T09:00"}
    )
    assert early.status_code == 400 and "cannot precede" in early.content.decode()
    assert Term.objects.count() == 2


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"holders": ["chn"]}, "users of the incoming delegation"),
        ({"at": "3024-10-01T10:00"}, "between 2000 and 2100"),
        ({"at": "not a time"}, "Enter a valid date/time"),
        ({"planned_end": "2024-01-01"}, "comes after the handover"),
        ({"elected_by": "e" * 301}, "at most 300"),
        ({"role": "emperor"}, "Select a valid choice"),
    ],
)
def test_invalid_handover_is_a_400(forum, client_for, over, message) -> None:
    response = client_for("secretariat").post("/programme/handover/record/", HANDOVER | over)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Term.objects.count() == 0


def test_handover_page_is_the_secretariats(forum, client_for) -> None:
    for user in ("chair", "ind", "observer"):
        assert client_for(user).post("/programme/handover/record/", HANDOVER).status_code == 403
    assert Term.objects.count() == 0


def test_hostile_choices_are_a_400_never_a_500(forum, client_for) -> None:
    """Choices the database cannot hold (a NUL in a code, an id past 64 bits) are refused."""
    ict = _initiative(client_for)
    base = f"/programme/initiatives/{ict.pk}"
    sec = client_for("secretariat")
    huge = str(2**70)
    cases = [
        (
            f"{base}/join/",
            {"join-delegation": "K\x00Z", "join-role": "cosponsor", "join-on": "2024-01-01"},
        ),
        (f"{base}/leave/", {"leave-participation": huge, "leave-on": "2024-01-01"}),
        (f"{base}/manage/", {"edit-title": "T", "edit-area": huge, "edit-status": "ongoing"}),
        ("/programme/initiatives/new/", INITIATIVE | {"area": "-1", "co_leads": ["\x00"]}),
        ("/programme/mandates/new/", MANDATE | {"given_by": "S\x00C"}),
        ("/programme/handover/record/", HANDOVER | {"holders": ["\x00"]}),
    ]
    for url, data in cases:
        assert sec.post(url, data).status_code == 400, url
    assert sec.get(f"/programme/initiatives/{huge}/manage/").status_code == 404
    assert sec.get(f"/programme/mandates/{huge}/guidance/").status_code == 404
    assert Initiative.objects.count() == 1 and Participation.objects.count() == 2


def test_invalid_reporting_cycle_is_a_400_with_the_form_kept(forum, client_for) -> None:
    ict = _initiative(client_for)
    url = f"/programme/initiatives/{ict.pk}/cycle/"
    bad = client_for("secretariat").post(
        url, {"start_on": "2025-03-01", "every_months": "61", "remind_days": "14"}
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert 'value="61"' in page and "less than or equal to 60" in page
    from secretariat.programme.models import ReportingCycle

    assert not ReportingCycle.objects.filter(initiative=ict).exists()


def test_the_pages_speak_russian(forum, client_for) -> None:
    sec = client_for("secretariat")
    sec.post("/language/", {"language": "ru", "next": "/"})
    page = sec.get("/programme/initiatives/new/").content.decode()
    assert "Новая инициатива" in page and "Ведущая страна" in page
    wrong = sec.post("/programme/mandates/new/", MANDATE | {"due_meeting_of": ""}).content.decode()
    assert "Укажите дату или орган" in wrong
