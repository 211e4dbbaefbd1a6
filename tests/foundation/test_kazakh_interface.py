"""Kazakh is an interface language: offered by the switch, kept on the account, dates and
numbers in Kazakh conventions; and the translations command finds and fills what an edition
lacks."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import polib
import pytest
from django import forms
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template import Context, Template
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def test_dates_and_numbers_in_kazakh_conventions() -> None:
    moment = datetime.datetime(2026, 6, 17, 14, 5)
    with translation.override("kk"):
        # The year first, in the adjectival form, the month in lower case.
        assert formats.date_format(moment, "DATE_FORMAT") == "2026 жылғы 17 маусым"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "2026 жылғы 17 маусым, 14:05"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "17.06.2026"
        assert formats.date_format(moment, "YEAR_MONTH_FORMAT") == "2026 жылғы маусым"
        assert formats.number_format(1234567.5, 1, force_grouping=True) == "1\xa0234\xa0567,5"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        rendered = Template('{{ d|date:"DATE_FORMAT" }} · {{ d|date:"F" }}').render(
            Context({"d": moment})
        )
        assert rendered == "2026 жылғы 17 маусым · Маусым"  # a month alone is capitalised
        # A date typed the Kazakh way is read back.
        assert forms.DateField().clean("17.06.2026") == moment.date()
    # The override touches Kazakh only.
    with translation.override("ru"):
        assert formats.date_format(moment, "DATE_FORMAT") == "17 июня 2026 г."
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "17 June 2026"


def test_the_switch_offers_kazakh_and_the_account_keeps_it(forum, client_for) -> None:
    client = client_for("ind")
    page = client.get("/").content.decode()
    # Each language is named in itself.
    assert '<option value="en" lang="en" selected>English</option>' in page
    assert '<option value="ru" lang="ru">Русский</option>' in page
    assert '<option value="kk" lang="kk">Қазақша</option>' in page

    response = client.post("/language/", {"language": "kk", "next": "/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "kk"
    user = forum["ind"]
    user.refresh_from_db()
    assert user.language == "kk"
    page = client.get("/").content.decode()
    assert '<html lang="kk"' in page
    assert "Қош келдіңіз" in page and "Шолу тақтасы" in page and "Келіссөздер" in page
    assert '<option value="kk" lang="kk" selected>Қазақша</option>' in page
    # A language the interface does not have is ignored.
    client.post("/language/", {"language": "zz", "next": "/"})
    user.refresh_from_db()
    assert user.language == "kk"


def _catalogue(tmp_path: Path) -> Path:
    locale = tmp_path / "locale"
    for language, header in (
        ("ru", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : 1);"),
        ("kk", "nplurals=2; plural=(n != 1);"),
    ):
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": header}
        po.append(polib.POEntry(msgid="Agenda", msgstr="Повестка дня" if language == "ru" else ""))
        if language == "ru":
            po.append(
                polib.POEntry(
                    msgid="%(n)s meeting",
                    msgid_plural="%(n)s meetings",
                    msgstr_plural={
                        0: "%(n)s заседание",
                        1: "%(n)s заседания",
                        2: "%(n)s заседаний",
                    },
                    occurrences=[("meetings/views.py", "10")],
                )
            )
        path = locale / language / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True)
        po.save(str(path))
    return locale


def test_the_translations_command_lists_and_fills_what_kazakh_lacks(settings, tmp_path) -> None:
    locale = _catalogue(tmp_path)
    settings.LOCALE_PATHS = [locale]
    out = io.StringIO()
    call_command("translations", "missing", "--language", "kk", "--json", stdout=out)
    todo = json.loads(out.getvalue())
    assert list(todo) == [str(locale)]
    items = todo[str(locale)]["kk"]
    assert [(i["msgid"], i["problem"]) for i in items] == [
        ("Agenda", "untranslated"),
        ("%(n)s meeting", "missing"),  # only the Russian edition has it
    ]
    assert items[0]["msgstr_ru"] == "Повестка дня"  # the other editions as a guide

    # A translation that loses a placeholder is refused, and nothing is written.
    items[0]["msgstr"] = "Күн тәртібі"
    items[1]["msgstr"] = ["отырыс", "отырыс"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(todo, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="placeholders"):
        call_command("translations", "apply", str(bad), stdout=io.StringIO())
    assert polib.pofile(str(locale / "kk/LC_MESSAGES/django.po")).find("Agenda").msgstr == ""

    items[1]["msgstr"] = ["%(n)s отырыс", "%(n)s отырыс"]
    good = tmp_path / "todo.json"
    good.write_text(json.dumps(todo, ensure_ascii=False), encoding="utf-8")
    call_command("translations", "apply", str(good), stdout=io.StringIO())
    kk = polib.pofile(str(locale / "kk/LC_MESSAGES/django.po"))
    assert kk.find("Agenda").msgstr == "Күн тәртібі"
    plural = kk.find("%(n)s meeting")
    assert plural.msgstr_plural == {0: "%(n)s отырыс", 1: "%(n)s отырыс"}
    assert plural.occurrences == [("meetings/views.py", "10")]
    out = io.StringIO()
    call_command("translations", "missing", "--language", "kk", stdout=out, stderr=out)
    assert "Every string has its translations." in out.getvalue()
