"""The demo: the work programme with the five dimensions, the ICT CBM led by China and Russia
with co-sponsors and an overdue report, the current chairmanship term; loading twice adds
nothing."""

from __future__ import annotations

import io

import pytest

from secretariat.accounts.access import holds_chairmanship
from secretariat.accounts.models import User
from secretariat.programme.demo import load_demo
from secretariat.programme.models import Initiative, WorkProgramme
from secretariat.programme.overview import overview
from secretariat.programme.terms import current_term

pytestmark = pytest.mark.django_db


def test_demo_programme(forum) -> None:
    load_demo(io.StringIO())
    load_demo(io.StringIO())
    programme = WorkProgramme.objects.get()
    assert programme.current is not None
    top = programme.current.areas.filter(parent__isnull=True)
    assert top.count() == 5
    ict = Initiative.objects.get(title__contains="ICT")
    leads = ict.participations.filter(role__in=["lead", "co_lead"])
    assert sorted(leads.values_list("delegation__code", flat=True)) == ["CHN", "RUS"]
    assert ict.participations.filter(role="cosponsor").count() == 3
    rows = {r.initiative.pk: r for r in overview(forum["ind"])}
    assert rows[ict.pk].overdue_since is not None
    term = current_term()
    assert term is not None and term.delegation.code == "AZE"
    assert holds_chairmanship(User.objects.get(username="chair"))
    assert not holds_chairmanship(User.objects.get(username="ind"))


def test_the_forum_words_for_the_roles(forum, client_for) -> None:
    load_demo(io.StringIO())
    ict = Initiative.objects.get(title__contains="ICT")
    page = client_for("chn").get(f"/programme/initiatives/{ict.pk}/").content.decode()
    assert "China — coordinator" in page and "Russia — co-coordinator" in page
    assert "Kazakhstan — co-sponsor" in page
