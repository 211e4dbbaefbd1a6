"""The forum register file (`secretariat forum load|export`): each demo register twice leaves
the same rows; an error loads nothing and names the line; export -> load changes nothing;
removed members are retired, not deleted; accession dates decide who sits in a body."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from secretariat.accounts.forum_register import (
    RegisterError,
    export_register,
    load_register,
    read_register,
    register_data,
)
from secretariat.accounts.models import (
    Body,
    CoordinatorSeat,
    Delegation,
    DelegationAlias,
    Forum,
    MemberGroup,
    Mission,
    MissionContact,
    User,
)
from secretariat.communications.models import NoteTemplate, Series
from secretariat.demo.forum import REGISTERS

pytestmark = pytest.mark.django_db


def rows() -> dict[str, Any]:
    """Every row a register writes, with its primary key (a reload must not recreate any)."""
    return {
        "forum": list(Forum.objects.order_by("pk").values()),
        "delegations": list(Delegation.objects.order_by("pk").values()),
        "aliases": list(DelegationAlias.objects.order_by("pk").values()),
        "groups": list(MemberGroup.objects.order_by("pk").values()),
        "group_members": sorted(MemberGroup.members.through.objects.values_list("pk", flat=True)),
        "bodies": list(Body.objects.order_by("pk").values()),
        "body_members": sorted(Body.members.through.objects.values_list("pk", flat=True)),
        "seats": list(CoordinatorSeat.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "missions": list(Mission.objects.order_by("pk").values()),
        "mission_contacts": list(MissionContact.objects.order_by("pk").values()),
        "series": list(Series.objects.order_by("pk").values()),
        "note_templates": list(NoteTemplate.objects.order_by("pk").values()),
    }


@pytest.mark.parametrize("forum", sorted(REGISTERS))
def test_each_demo_register_twice_leaves_the_same_rows(forum: str) -> None:
    first = load_register(REGISTERS[forum])
    assert first.created and not first.retired
    before = rows()
    second = load_register(REGISTERS[forum])
    assert second.unchanged, list(second.lines())
    assert rows() == before


def test_asem_register_has_its_53_partners_groups_and_coordinators() -> None:
    load_register(REGISTERS["asem"], today=date(2026, 11, 30))
    members = Delegation.objects.filter(kind=Delegation.Kind.MEMBER)
    assert members.count() == 53
    assert members.filter(entity=Delegation.Entity.ORGANISATION).count() == 2  # EU, ASEC
    asia, europe = MemberGroup.objects.get(code="ASIA"), MemberGroup.objects.get(code="EUROPE")
    assert {g.code for g in asia.subgroups.all()} == {"ASEAN", "NESA"}
    assert len(asia.all_member_ids()) == 22  # 21 countries and the ASEAN Secretariat
    assert len(europe.all_member_ids()) == 31  # 30 countries and the EU
    assert Body.objects.get(code="SOM").members.count() == 53
    europe_body = Body.objects.get(code="EUROPE-COORD")
    assert europe_body.membership == Body.Membership.GROUP
    assert set(europe_body.members.values_list("pk", flat=True)) == europe.all_member_ids()
    asef = Delegation.objects.get(code="ASEF")
    assert (asef.kind, asef.access_tier, asef.may_contribute) == ("partner", "members", True)
    forum = Forum.current()
    assert forum is not None
    assert (forum.short_name, forum.presiding, forum.presiding_code) == (
        "ASEM",
        "coordinators",
        "COORD",
    )
    assert forum.presiding_role == "coordinator" and forum.languages == ["en"]
    assert (
        CoordinatorSeat.objects.filter(group__code="EUROPE", kind="permanent").get().holder.code
        == "EU"
    )


def test_cica_register_codes_are_the_text_engines_default_register() -> None:
    """The engine's CLI reads `demo/cica_register.json` without a database: the YAML register
    the demo loads must say the same codes and aliases."""
    engine = json.loads((REGISTERS["cica"].parent.parent / "cica_register.json").read_text())
    expected = {e["code"]: sorted(e.get("aliases", [])) for e in engine["delegations"]}
    data = read_register(REGISTERS["cica"]).data
    got = {data["presiding"]["code"]: sorted(data["presiding"]["aliases"])}
    got |= {m["code"]: sorted(m.get("aliases", [])) for m in data["members"]}
    assert got == expected


def _broken(tmp_path: Path, forum: str, edit: Any) -> Path:
    """A copy of a demo register with `edit(data)` applied, written back as YAML."""
    data = yaml.safe_load(REGISTERS[forum].read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "register.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


def test_a_body_naming_an_unknown_member_loads_nothing_and_names_the_line(tmp_path) -> None:
    path = _broken(tmp_path, "cica", lambda d: d["bodies"][4]["members"].append("ATLANTIS"))
    with pytest.raises(RegisterError) as err:
        load_register(path)
    assert err.value.line == _line_of(path, "ATLANTIS")
    assert "“ATLANTIS” is not a member" in str(err.value)
    assert Delegation.objects.count() == 0 and Forum.objects.count() == 0


def test_a_duplicate_code_names_both_lines_and_leaves_the_loaded_forum_alone(tmp_path) -> None:
    load_register(REGISTERS["cica"])
    before = rows()

    def duplicate(d: dict[str, Any]) -> None:
        d["members"].append({"code": "IND", "name": {"en": "India again"}})
        d["members"][0]["name"]["en"] = "Afghanistan (changed)"  # must not be written either

    path = _broken(tmp_path, "cica", duplicate)
    with pytest.raises(RegisterError) as err:
        load_register(path)
    assert err.value.line == _line_of(path, "code: IND", 2)
    assert f"already used on line {_line_of(path, 'code: IND')}" in err.value.message
    assert rows() == before


def test_an_alias_clashing_with_a_code_is_a_duplicate(tmp_path) -> None:
    path = _broken(tmp_path, "cica", lambda d: d["members"][1]["aliases"].append("IND"))
    with pytest.raises(RegisterError, match="already used"):
        read_register(path)


def test_schema_errors_and_yaml_errors_name_their_line(tmp_path) -> None:
    path = _broken(tmp_path, "asem", lambda d: d["members"][5].pop("name"))
    with pytest.raises(RegisterError) as err:
        read_register(path)
    assert err.value.line == _line_of(path, "code: MMR")
    assert "'name' is a required property" in err.value.message

    bad = tmp_path / "bad.yaml"
    bad.write_text("forum:\n  code: X\n  name: {en: [unclosed\nmembers: []\n", encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        read_register(bad)
    assert err.value.line in (3, 4) and "not valid YAML" in err.value.message

    twice = tmp_path / "twice.yaml"
    twice.write_text("forum: {}\nmembers: []\nforum: {}\n", encoding="utf-8")
    with pytest.raises(RegisterError) as err:
        read_register(twice)
    assert (err.value.line, err.value.message) == (3, "“forum” is given twice")


def test_a_removed_member_is_retired_not_deleted(tmp_path) -> None:
    load_register(REGISTERS["cica"])
    isr = Delegation.objects.get(code="ISR")
    assert Body.objects.get(code="SWG").members.filter(pk=isr.pk).exists()

    def remove(d: dict[str, Any]) -> None:
        d["members"] = [m for m in d["members"] if m["code"] != "ISR"]
        d["people"] = [p for p in d["people"] if p.get("delegation") != "ISR"]

    report = load_register(_broken(tmp_path, "cica", remove))
    assert report.retired == ["delegation ISR"]
    isr.refresh_from_db()
    assert isr.retired and isr.code == "ISR"
    assert not Body.objects.get(code="SWG").members.filter(pk=isr.pk).exists()
    assert User.objects.get(username="isr").delegation_id == isr.pk  # their account stays
    # Back in the file: the same row comes back to life, no new one.
    load_register(REGISTERS["cica"])
    isr.refresh_from_db()
    assert not isr.retired and Delegation.objects.filter(code="ISR").count() == 1


def _clock_at(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """Move the clock to noon UTC of `day` (timezone.localdate() follows timezone.now())."""
    from datetime import UTC, datetime, time

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime.combine(day, time(12), tzinfo=UTC))


def test_an_accession_date_moves_a_member_into_its_bodies_from_that_date(
    tmp_path, monkeypatch
) -> None:
    """Loaded once, before the dates: the accession and the withdrawal take effect on their
    day when the clock moves, with no reload (bodies, access, who is addressed)."""
    from secretariat.accounts import access
    from secretariat.accounts.models import AccessLevel
    from secretariat.communications.actions import addressed_delegations
    from secretariat.communications.models import NoteKind

    def dates(d: dict[str, Any]) -> None:
        next(m for m in d["members"] if m["code"] == "KAZ")["joined"] = "2030-01-01"
        next(m for m in d["members"] if m["code"] == "JPN")["left"] = "2030-01-01"

    path = _broken(tmp_path, "asem", dates)
    _clock_at(monkeypatch, date(2029, 12, 31))
    load_register(path)
    kaz = Delegation.objects.get(code="KAZ")
    summit, asia = Body.objects.get(code="SUMMIT"), Body.objects.get(code="ASIA-COORD")
    users = (
        User.objects.create(username="kz", role="delegate", delegation=kaz),
        User.objects.get(username="jpn"),
    )

    def sitting() -> dict[str, bool]:
        kazakh, jpn = (User.objects.get(pk=u.pk) for u in users)  # a new request: no cache
        return {
            "kaz summit": summit.members_on().filter(code="KAZ").exists(),
            "kaz asia": asia.members_on().filter(code="KAZ").exists(),
            "kaz reads asia": access.can_see_level(kazakh, AccessLevel.BODY, asia.pk),
            "kaz addressed": kaz in addressed_delegations(NoteKind.TO_BODY, summit, []),
            "jpn summit": summit.members_on().filter(code="JPN").exists(),
            "jpn reads asia": access.can_see_level(jpn, AccessLevel.BODY, asia.pk),
        }

    assert sitting() == {
        "kaz summit": False,
        "kaz asia": False,
        "kaz reads asia": False,
        "kaz addressed": False,
        "jpn summit": True,
        "jpn reads asia": True,
    }
    _clock_at(monkeypatch, date(2030, 1, 1))
    assert sitting() == {
        "kaz summit": True,
        "kaz asia": True,
        "kaz reads asia": True,
        "kaz addressed": True,
        "jpn summit": False,
        "jpn reads asia": False,
    }
    assert load_register(path).unchanged  # a reload has nothing left to apply


@pytest.mark.parametrize("forum", sorted(REGISTERS))
def test_export_then_load_round_trip(forum: str, tmp_path) -> None:
    load_register(REGISTERS[forum])
    before, data = rows(), register_data()
    out = tmp_path / "exported.yaml"
    export_register(out)
    assert load_register(out).unchanged
    assert rows() == before
    assert read_register(out).data == data


def test_dry_run_reports_and_writes_nothing() -> None:
    report = load_register(REGISTERS["asem"], dry_run=True)
    assert len(report.created) > 100
    assert Delegation.objects.count() == 0 and Forum.objects.count() == 0


def test_the_command_prints_what_it_did_and_fails_with_the_line(tmp_path) -> None:
    out = StringIO()
    call_command("forum", "load", str(REGISTERS["cica"]), stdout=out)
    assert "created: delegation IND" in out.getvalue()
    out = StringIO()
    call_command("forum", "load", str(REGISTERS["cica"]), stdout=out)
    assert out.getvalue().strip() == "0 created, 0 changed, 0 retired"
    path = _broken(tmp_path, "cica", lambda d: d["bodies"][1].update(reports_to="NOWHERE"))
    with pytest.raises(CommandError) as err:
        call_command("forum", "load", str(path))
    assert str(err.value) == f"register.yaml:{_line_of(path, 'NOWHERE')}: no body “NOWHERE”"
    assert err.value.returncode == 2
    exported = tmp_path / "out.yaml"
    call_command("forum", "export", str(exported), stdout=StringIO())
    assert read_register(exported).data["forum"]["code"] == "CICA"


def test_retired_and_withdrawn_members_leave_distribution_lists_and_meeting_forms(
    tmp_path,
) -> None:
    from secretariat.communications.actions import ActionError as NoteError
    from secretariat.communications.actions import addressed_delegations, find_delegations
    from secretariat.communications.models import NoteKind
    from secretariat.meetings.forms import MeetingForm
    from secretariat.outbox.lists import Audience, ListSpec, members_of

    load_register(_broken(tmp_path, "cica", lambda d: _drop_member(d, "ISR")))  # retired
    Delegation.objects.filter(code="IND").update(left_on=date(2000, 1, 1))  # withdrew
    swg = Body.objects.get(code="SWG")
    Body.members.through.objects.get_or_create(
        body=swg, delegation=Delegation.objects.get(code="IND")
    )  # a body list not yet reloaded still names the withdrawn member

    circular = {d.code for d in addressed_delegations(NoteKind.CIRCULAR, None, [])}
    to_body = {d.code for d in addressed_delegations(NoteKind.TO_BODY, swg, [])}
    assert "KAZ" in circular and "KAZ" in to_body
    assert not {"IND", "ISR"} & (circular | to_body)
    with pytest.raises(NoteError, match="ISR"):
        find_delegations(["ISR"])

    listed = {
        m.user.delegation.code
        for spec in (
            ListSpec(all_member_states=True, audience=Audience.ALL),
            ListSpec(bodies=("SWG",), audience=Audience.ALL),
            ListSpec(delegations=("ISR", "CHN"), audience=Audience.ALL),
        )
        for m in members_of(spec)
        if m.user.delegation
    }
    assert "CHN" in listed and not {"IND", "ISR"} & listed

    form = MeetingForm()
    for name in ("lot_start", "host"):
        codes = set(form.fields[name].queryset.values_list("code", flat=True))
        assert "KAZ" in codes and not {"IND", "ISR"} & codes


def _drop_member(d: dict[str, Any], code: str) -> None:
    d["members"] = [m for m in d["members"] if m["code"] != code]
    d["people"] = [p for p in d["people"] if p.get("delegation") != code]


@pytest.mark.parametrize(("forum", "code"), [("cica", "CHAIR"), ("asem", "COORD")])
def test_a_negotiation_made_without_a_chair_code_takes_the_registers(forum, code) -> None:
    from secretariat.negotiation.models import Negotiation

    load_register(REGISTERS[forum])
    body = Body.objects.order_by("pk").first()
    assert Negotiation.objects.create(title="Draft", body=body).chair_code == code
