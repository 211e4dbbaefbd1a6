"""What the forum register stores is used: the reference series number the notes (format,
counter per year, no duplicate under concurrency); the holders of the secretariat's powers
where the forum has no standing secretariat; the missions and the notes' templates load,
export and fail with their line like the rest of the register."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from secretariat.accounts import access
from secretariat.accounts.forum_register import (
    RegisterError,
    export_register,
    load_register,
    read_register,
)
from secretariat.accounts.models import AccessLevel, Delegation, Forum, Mission, User
from secretariat.communications import actions
from secretariat.communications.models import NoteKind, NoteTemplate, Series
from secretariat.demo.forum import REGISTERS, load_forum

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent.parent / "communications"


def _broken(tmp_path: Path, forum: str, edit: Any) -> Path:
    data = yaml.safe_load(REGISTERS[forum].read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [
        i + 1
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines())
        if needle in line
    ]
    return hits[nth - 1]


def _issue(series: str, actor: User, day: date, subject: str = "Agenda") -> str:
    note = actions.do_create_note(
        kind=NoteKind.CIRCULAR,
        series=Series.objects.get(code=series),
        editions=[actions.EditionText("en", subject, "forward the agenda.")],
        actor=actor,
    )
    actions.do_approve_note(note, actor=actor)
    return actions.do_issue_note(note, actor=actor, day=day).reference


# --- reference series -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("forum", "actor", "series", "expected"),
    [
        ("cica", "secretariat", "SWG/OI", ["SWG/OI/1262", "SWG/OI/1263", "SWG/OI/1264"]),
        ("cica", "secretariat", "NV", ["NV/2026/1", "NV/2026/2", "NV/2027/1"]),
        ("asem", "eeas", "NV", ["ASEM/NV/2026/1", "ASEM/NV/2026/2", "ASEM/NV/2027/1"]),
        ("asem", "eeas", "ASEM/SOM", ["ASEM/SOM/2026/1", "ASEM/SOM/2026/2", "ASEM/SOM/2027/1"]),
    ],
)
def test_notes_are_numbered_in_the_registers_series(forum, actor, series, expected) -> None:
    """The register's format, first number and yearly counter give the reference."""
    load_forum(forum)
    user = User.objects.get(username=actor)
    days = [date(2026, 3, 1), date(2026, 12, 31), date(2027, 1, 2)]
    assert [_issue(series, user, day) for day in days] == expected


def test_only_the_registers_series_are_offered_and_accepted() -> None:
    from secretariat.communications.forms import ComposeForm

    load_forum("asem")
    assert sorted(Series.objects.values_list("code", flat=True)) == ["ASEM/SOM", "NV", "PR"]
    stray = Series.objects.create(code="SWG/OI")  # set up by hand, not in the register
    offered = set(ComposeForm().fields["series"].queryset.values_list("code", flat=True))
    assert offered == {"ASEM/SOM", "NV", "PR"}
    with pytest.raises(actions.ActionError, match="not in the forum's register"):
        actions.do_create_note(
            kind=NoteKind.CIRCULAR,
            series=stray,
            editions=[actions.EditionText("en", "Agenda", "forward the agenda.")],
            actor=User.objects.get(username="eeas"),
        )


def test_a_changed_series_format_numbers_the_next_note(tmp_path) -> None:
    load_forum("asem")
    eeas = User.objects.get(username="eeas")
    assert _issue("NV", eeas, date(2026, 5, 1)) == "ASEM/NV/2026/1"

    def padded(d: dict[str, Any]) -> None:
        d["reference_series"][1]["format"] = "ASEM/NV/{number:03d}/{year}"

    report = load_register(_broken(tmp_path, "asem", padded))
    assert report.changed == ["forum ASEM (reference_series)", "series NV (format)"]
    assert _issue("NV", eeas, date(2026, 5, 2)) == "ASEM/NV/002/2026"


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("{series}/{year}", "has no {number}"),
        ("{series}/{number}/{place}", "may use only"),
        ("{series}/{number", "cannot be used"),
    ],
)
def test_a_series_format_that_cannot_number_names_its_line(tmp_path, fmt, message) -> None:
    path = _broken(tmp_path, "asem", lambda d: d["reference_series"][0].update(format=fmt))
    with pytest.raises(RegisterError) as err:
        load_register(path)
    assert message in err.value.message
    assert err.value.line == _line_of(path, "format:")
    assert Forum.objects.count() == 0 and Series.objects.count() == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_in_an_asem_series_never_share_a_number(tmp_path) -> None:
    """20 issues at once in the register's NV series: 20 distinct numbers and references."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from secretariat.communications.seed import seed_house_style

        load_forum("asem")
        seed_house_style()
        sys.path.insert(0, str(HERE))
        try:
            from issue_race import race
        finally:
            sys.path.remove(str(HERE))
        assert race(20, actor_name="eeas") == list(range(1, 21))
        assert Series.objects.get(code="NV").notes.filter(reference__startswith="ASEM/NV/").count()
        return
    import json
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["SECRETARIAT_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, str(HERE / "issue_race.py"), "20", "asem"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == list(range(1, 21))


# --- the secretariat's powers -------------------------------------------------------------------


def test_in_asem_the_coordinators_hold_the_secretariats_powers() -> None:
    load_forum("asem")
    users = {u.username: u for u in User.objects.all()}
    assert Forum.current().secretariat_powers == "presiding"
    assert access.is_secretariat(users["eeas"]) and access.is_secretariat(users["sgp"])
    assert access.can_see_level(users["eeas"], AccessLevel.SECRETARIAT, None)
    for name in ("deu", "jpn", "eu", "asef"):
        assert not access.is_secretariat(users[name]), name
        assert not access.can_see_level(users[name], AccessLevel.SECRETARIAT, None), name
    # A coordinator who has left the role (deactivated) holds nothing.
    users["sgp"].is_active = False
    assert not access.is_secretariat(users["sgp"])


def test_in_cica_the_chair_does_not_hold_the_secretariats_powers() -> None:
    load_forum("cica")
    chair = User.objects.get(username="chair")
    assert access.holds_chairmanship(chair) and not access.is_secretariat(chair)
    assert not access.can_see_level(chair, AccessLevel.SECRETARIAT, None)


def test_the_powers_follow_the_register_not_the_role(tmp_path) -> None:
    path = _broken(tmp_path, "asem", lambda d: d.update(secretariat_powers="secretariat"))
    load_register(path)
    eeas = User.objects.get(username="eeas")
    assert access.holds_chairmanship(eeas) and not access.is_secretariat(eeas)


# --- missions and templates -----------------------------------------------------------------------


@pytest.mark.parametrize("forum", sorted(REGISTERS))
def test_missions_and_templates_load_and_export(forum, tmp_path) -> None:
    load_forum(forum)
    data = read_register(REGISTERS[forum]).data
    assert Mission.objects.count() == len(data["missions"])
    assert NoteTemplate.objects.count() == len(data["note_templates"])
    first = data["missions"][0]
    mission = Mission.objects.get(
        delegation__code=first["delegation"], kind=first["kind"], city=first["city"]
    )
    assert [c.name for c in mission.contacts.all()] == [c["name"] for c in first["contacts"]]
    out = tmp_path / "out.yaml"
    export_register(out)
    exported = read_register(out).data
    assert exported["missions"] == data["missions"]
    assert exported["note_templates"] == sorted(
        data["note_templates"], key=lambda t: (t["kind"], t["language"])
    )


def test_asem_notes_use_the_registers_templates() -> None:
    load_forum("asem")
    eeas = User.objects.get(username="eeas")
    reference = _issue("NV", eeas, date(2026, 5, 1))
    from secretariat.communications.models import Note

    rendered = Note.objects.get(reference=reference).editions.get(language="en").rendered
    assert "The ASEM Coordinators present their compliments to the ASEM Partners" in rendered
    assert "Conference on Interaction" not in rendered


def test_a_removed_mission_and_contact_leave_on_reload(tmp_path) -> None:
    load_forum("asem")

    def edit(d: dict[str, Any]) -> None:
        d["missions"] = d["missions"][:2]
        d["missions"][0]["contacts"] = []

    report = load_register(_broken(tmp_path, "asem", edit))
    assert sorted(report.retired) == [
        "mission DEU embassy Singapore",
        "mission EU permanent_representation Brussels: Claire Dubois",
        "mission JPN permanent_representation Brussels",
    ]
    assert Mission.objects.count() == 2


@pytest.mark.parametrize(
    ("edit", "needle", "message"),
    [
        (
            lambda d: d["missions"].append(
                {"delegation": "XYZ", "kind": "embassy", "city": "Rome"}
            ),
            "XYZ",
            "no delegation “XYZ”",
        ),
        (
            lambda d: d["missions"].append(
                {"delegation": "EU", "kind": "permanent_representation", "city": "Brussels"}
            ),
            "delegation: EU",
            "already on line",
        ),
        (
            lambda d: d["note_templates"][0].update(body="{% if %}broken"),
            "broken",
            "the template fails",
        ),
    ],
)
def test_an_error_in_missions_or_templates_loads_nothing(tmp_path, edit, needle, message) -> None:
    path = _broken(tmp_path, "asem", edit)
    with pytest.raises(RegisterError) as err:
        load_register(path)
    assert message in err.value.message
    nth = 2 if needle == "delegation: EU" else 1
    assert err.value.line == _line_of(path, needle, nth)
    assert Delegation.objects.count() == 0 and Mission.objects.count() == 0
    assert NoteTemplate.objects.count() == 0


# --- coordinator seats as term-bound roles ------------------------------------------------------


def _clock_at(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    from datetime import UTC, datetime, time

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime.combine(day, time(12), tzinfo=UTC))


def test_the_registers_seats_become_coordinator_terms(monkeypatch) -> None:
    from secretariat.programme.models import Term, TermRole

    _clock_at(monkeypatch, date(2026, 6, 1))
    load_forum("asem")
    terms = {
        (t.seat.label, t.delegation.code): t
        for t in Term.objects.filter(role=TermRole.COORDINATOR).select_related("seat", "delegation")
    }
    assert set(terms) == {
        ("European External Action Service", "EU"),
        ("EU Presidency", "CYP"),
        ("EU Presidency", "IRL"),
        ("ASEAN coordinator", "SGP"),
        ("North-East and South Asian coordinator", "JPN"),
    }
    eeas = terms[("European External Action Service", "EU")]
    assert eeas.ended_at is None and [u.username for u in eeas.holders.all()] == ["eeas"]
    sgp = terms[("ASEAN coordinator", "SGP")]
    assert sgp.planned_end == date(2026, 12, 31)
    assert [u.username for u in sgp.holders.all()] == ["sgp"]
    assert load_register(REGISTERS["asem"]).unchanged  # a reload changes no term


def test_holds_chairmanship_follows_the_seat_terms(monkeypatch) -> None:
    """The ASEAN seat held by Singapore until 31 December 2026: its coordinator presides (and,
    ASEM having no standing secretariat, holds its powers) until then and not after, with no
    reload; a coordinator whose delegation holds no seat never does."""
    _clock_at(monkeypatch, date(2026, 12, 31))
    load_forum("asem")
    User.objects.create(
        username="tha", role="coordinator", delegation=Delegation.objects.get(code="THA")
    )

    def verdicts() -> dict[str, tuple[bool, bool]]:
        users = {u.username: u for u in User.objects.filter(role="coordinator")}  # fresh
        return {
            name: (access.holds_chairmanship(u), access.is_secretariat(u))
            for name, u in users.items()
        }

    assert verdicts() == {"eeas": (True, True), "sgp": (True, True), "tha": (False, False)}
    _clock_at(monkeypatch, date(2027, 1, 1))
    assert verdicts() == {"eeas": (True, True), "sgp": (False, False), "tha": (False, False)}


def test_the_coordinators_view_names_the_seats_term_holders(client) -> None:
    import re

    load_forum("asem")
    client.force_login(User.objects.get(username="eeas"))
    html = client.get("/accounts/forum/").content.decode()
    holders = re.findall(r"<span data-term-holders>([^<]*)</span>", html)
    assert "Claire Dubois" in holders and "Wei Ling Tan" in holders
