"""Delegations have a Kazakh name: loaded from and exported to the forum register's
`name.kk`, shown in Kazakh pages (the directory), found by the directory's search, and filled
for every demo CICA delegation."""

from __future__ import annotations

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from secretariat.accounts.forum_register import (
    export_register,
    load_register,
    register_data,
)
from secretariat.accounts.models import Delegation
from secretariat.communications.rendering import name_in
from secretariat.demo.forum import REGISTERS

pytestmark = pytest.mark.django_db


def test_every_demo_cica_delegation_has_a_kazakh_name(forum) -> None:
    live = Delegation.objects.filter(retired=False)
    assert live.count() >= 29
    assert not live.filter(name_kk="").exists()
    kaz = Delegation.objects.get(code="KAZ")
    assert kaz.name_kk == "Қазақстан"
    assert Delegation.objects.get(code="CHAIR").name_kk == "Төрағалық"
    with translation.override("kk"):
        assert kaz.name == "Қазақстан"
    with translation.override("ru"):
        assert kaz.name == "Казахстан"
    with translation.override("en"):
        assert kaz.name == "Kazakhstan"
    assert name_in(Delegation.objects.get(code="CHN"), "kk") == "Қытай"


def test_register_export_round_trips_the_kazakh_name(forum, tmp_path) -> None:
    data = register_data()
    kaz = next(m for m in data["members"] if m["code"] == "KAZ")
    assert kaz["name"] == {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}
    assert data["presiding"]["name"]["kk"] == "Төрағалық"
    out = tmp_path / "out.yaml"
    export_register(out)
    assert load_register(out).unchanged
    # a changed Kazakh name in the file is written, nothing else changes
    text = out.read_text(encoding="utf-8").replace("Қытай", "Қытай Халық Республикасы")
    out.write_text(text, encoding="utf-8")
    report = load_register(out)
    assert report.changed == ["delegation CHN (name_kk)"]
    assert Delegation.objects.get(code="CHN").name_kk == "Қытай Халық Республикасы"


def test_a_body_takes_its_kazakh_name_from_the_register(tmp_path) -> None:
    from secretariat.accounts.models import Body

    data = yaml.safe_load(REGISTERS["cica"].read_text(encoding="utf-8"))
    data["bodies"][0]["name"]["kk"] = "Саммит"
    path = tmp_path / "bodies.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_register(path)
    assert Body.objects.get(code=data["bodies"][0]["code"]).name_kk == "Саммит"


def test_the_directory_names_delegations_in_kazakh_and_finds_them(forum, client_for) -> None:
    client = client_for("rus")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    page = client.get("/accounts/delegations/").content.decode()
    assert "Қазақстан" in page and "Қытай" in page
    found = client.get("/accounts/delegations/", {"q": "Қытай"}).content.decode()
    assert "CHN" in found and "Үндістан" not in found
