"""The demo programme: the 2024-2026 work programme with the five CBM dimensions, a few CBMs
(ICT security led by China and Russia with co-sponsors; one with an overdue report) and the
current Chairmanship term. Idempotent: nothing is added when the programme is there."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TextIO

from django.utils import timezone

from secretariat.accounts.models import Body, Delegation, Forum, User
from secretariat.programme import actions
from secretariat.programme.actions import AreaSpec
from secretariat.programme.models import ForumWording, WorkProgramme

DIMENSIONS = [
    AreaSpec("MP", "Military-political dimension"),
    AreaSpec(
        "NCT",
        "Fight against new challenges and threats",
        clusters=(AreaSpec("NCT-ICT", "Security of and in the use of ICTs"),),
    ),
    AreaSpec("ECO", "Economic dimension"),
    AreaSpec("ENV", "Environmental dimension"),
    AreaSpec("HUM", "Human dimension"),
]


def load_demo(stdout: TextIO) -> None:
    if WorkProgramme.objects.exists():
        return
    secretariat = User.objects.filter(username="secretariat").first()
    forum = Forum.current()
    if forum is not None:
        ForumWording.objects.get_or_create(
            forum=forum,
            defaults={
                "lead": "coordinator",
                "co_lead": "co-coordinator",
                "cosponsor": "co-sponsor",
                "initiative": "CBM",
            },
        )
    council = Body.objects.get(code="MC")
    programme = WorkProgramme.objects.create(
        title="CICA Work Programme 2024-2026",
        period_start=date(2024, 1, 1),
        period_end=date(2026, 12, 31),
    )
    version = actions.do_adopt_programme(
        programme, DIMENSIONS, adopted_by=council, adopted_on=date(2023, 12, 5), actor=secretariat
    )
    areas = {a.code: a for a in version.areas.all()}
    codes = {d.code: d for d in Delegation.objects.all()}
    today = timezone.localdate()

    ict = actions.do_create_initiative(
        "CBM: Security of and in the use of ICTs",
        area=areas["NCT-ICT"],
        leads=[codes["CHN"], codes["RUS"]],
        joined_on=date(2022, 10, 13),
        status="ongoing",
        actor=secretariat,
    )
    for code in ("KAZ", "IRAN", "THA"):
        if code in codes:
            actions.do_join_initiative(
                ict, codes[code], "cosponsor", on=date(2023, 3, 1), actor=secretariat
            )
    # The first report was due two months ago and has not come: overdue.
    actions.do_set_reporting_cycle(
        ict,
        start_on=today - timedelta(days=60),
        every_months=6,
        remind_days=14,
        actor=secretariat,
    )
    actions.do_create_initiative(
        "CBM: Development of tourism",
        area=areas["ECO"],
        leads=[codes["IND"]] if "IND" in codes else [],
        joined_on=date(2021, 6, 1),
        status="endorsed",
        actor=secretariat,
    )
    actions.do_create_initiative(
        "CBM: Renewable energy cooperation",
        area=areas["ENV"],
        leads=[codes["KAZ"]] if "KAZ" in codes else [],
        joined_on=date(2024, 2, 1),
        status="proposed",
        actor=secretariat,
    )
    actions.do_create_mandate(
        "Request the Chairmanship to prepare a road map for the CICA transformation",
        given_by=council,
        given_on=date(2024, 10, 1),
        assignee="chairmanship",
        due_meeting_of=Body.objects.get(code="SOC"),
        actor=secretariat,
    )
    chair = codes.get("AZE") or codes.get("CHAIR")
    holders = list(User.objects.filter(username="chair"))
    if chair is not None:
        actions.do_record_handover(
            chair,
            holders,
            at=timezone.make_aware(datetime(2024, 10, 11, 9, 0)),
            planned_end=date(2026, 10, 31),
            elected_by="Ministerial Council, 2024",
            actor=secretariat,
        )
    stdout.write("programme: the 2024-2026 work programme, 3 CBMs, 1 mandate, the chair term\n")
