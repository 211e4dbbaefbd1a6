"""Content the forum wrote (titles, notices, posts, device names) is marked with its own
language on the pages of another language, names and codes with translate="no", so a screen
reader reads them right and the interface sweep (tests/ui) sees only the interface's words."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from secretariat.core.contentlang import (
    ContentSelect,
    language_of,
    mark_content_fields,
    with_names,
)


def test_language_of_judges_the_script() -> None:
    assert language_of("Senior Officials Committee") == "en"
    assert language_of("Совещание старших должностных лиц") == "ru"
    assert language_of("Лауазымды тұлғалар кеңесінің отырысы") == "kk"
    assert language_of("") == "en"
    assert language_of("SOC 2026/3 — Заседание комитета") == "ru"


def _render(source: str, **context: object) -> str:
    return Template("{% load content_lang %}" + source).render(Context(context))


def test_own_lang_marks_and_escapes() -> None:
    html = _render("{{ t|own_lang }}", t="Closure <b>of</b> the Secretariat")
    assert html == '<span lang="en">Closure &lt;b&gt;of&lt;/b&gt; the Secretariat</span>'
    assert _render("{{ t|own_lang }}", t="") == ""
    # Inside a translated sentence the span survives (a safe value is not escaped again).
    html = _render(
        "{% load i18n %}{% blocktranslate with p=t|own_lang %}in the margins of {{ p }}"
        "{% endblocktranslate %}",
        t="Summit",
    )
    assert html == 'in the margins of <span lang="en">Summit</span>'


def test_title_or_keeps_a_title_in_the_page_language_only() -> None:
    with translation.override("ru"):
        assert _render('{{ t|title_or:"Заседание" }}', t="Senior Officials") == "Заседание"
        assert _render('{{ t|title_or:"Заседание" }}', t="Совещание СДЛ") == "Совещание СДЛ"
    with translation.override("en"):
        assert _render('{{ t|title_or:"Meeting" }}', t="Senior Officials") == "Senior Officials"


def test_content_select_marks_each_option() -> None:
    class F(forms.Form):
        pick = forms.ChoiceField(
            choices=[("", "—"), ("a", "Closure of the Secretariat"), ("b", "Закрытие")],
            widget=ContentSelect,
        )

    html = str(F()["pick"])
    assert '<option value="" selected>—</option>' in html
    assert '<option value="a" lang="en">' in html
    assert '<option value="b" lang="ru">' in html


def test_names_in_a_translated_label_are_marked_not_translated() -> None:
    class F(forms.Form):
        text = forms.CharField(label=with_names("Message (%(markdown)s)", markdown="Mark<down>"))

    label = str(F()["text"].label_tag())
    assert 'Message (<span translate="no">Mark&lt;down&gt;</span>)' in label


@pytest.mark.parametrize("bound", [False, True])
def test_a_field_holding_content_is_marked_with_its_language(bound: bool) -> None:
    class F(forms.Form):
        title = forms.CharField()
        text = forms.CharField(widget=forms.Textarea)

    value = {"title": "Закрытие секретариата", "text": "The Secretariat will be closed."}
    form = F(value) if bound else F(initial=value)
    mark_content_fields(form, "title", "text", "missing")
    assert 'lang="ru"' in str(form["title"])
    assert 'lang="en"' in str(form["text"])
    assert "lang=" not in str(F()["title"])  # another form's widget is untouched


def test_a_notification_marks_the_title_it_quotes() -> None:
    from secretariat.notifications.kinds import render_message, render_message_html

    params = {"number": 2, "title": "Astana <Statement>"}
    with translation.override("ru"):
        plain = render_message("negotiation.revision", params)
        html = render_message_html("negotiation.revision", params)
    assert "Astana <Statement>" in plain
    assert '<span lang="en">Astana &lt;Statement&gt;</span>' in html
    assert html.replace('<span lang="en">Astana &lt;Statement&gt;</span>', "") == (
        plain.replace("Astana <Statement>", "")
    )


def test_a_name_shows_in_the_page_language_where_the_register_gives_it() -> None:
    from secretariat.accounts.models import Delegation

    india = Delegation(code="IND", name_en="India", name_ru="Индия", name_kk="Үндістан")
    bare = Delegation(code="XYZ", name_en="Xanadu")
    shown = {}
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            shown[language] = (india.name, bare.name)
    assert shown == {
        "en": ("India", "Xanadu"),
        "ru": ("Индия", "Xanadu"),
        "kk": ("Үндістан", "Xanadu"),
    }


def test_the_demo_registers_mark_each_letterhead_line_with_its_language() -> None:
    """A letterhead holds lines in several languages (CICA's English and Russian): each is
    marked with its own, whatever the edition's language."""
    import re
    from pathlib import Path

    import yaml

    registers = Path(__file__).resolve().parents[2] / "src/secretariat/demo/registers"
    lines = 0
    for path in registers.glob("*.yaml"):
        for template in yaml.safe_load(path.read_text(encoding="utf-8"))["note_templates"]:
            for lang, text in re.findall(
                r"<p(?: lang=\"(\w+)\")?>(.*?)</p>", template["letterhead"]
            ):
                lines += 1
                assert lang == language_of(re.sub("<[^>]+>", " ", text)), (path.name, text)
    assert lines >= 10
