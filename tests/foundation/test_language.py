"""Russian readers get Russian: notifications rendered when read, genitive dates, plural forms,
screen-reader labels, the JavaScript catalogue, the audit log's names and the feeds' languages."""

from __future__ import annotations

import json
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

SMALL = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);

OP1. We hereby launch the negotiations process.
"""


def _russian(client):
    client.cookies["django_language"] = "ru"
    return client


def _negotiation(forum, text: str = SMALL, title: str = "Draft statement"):
    from secretariat.accounts.models import Body
    from secretariat.negotiation.actions import do_import_negotiation

    return do_import_negotiation(
        title=title, body=Body.objects.get(code="SWG"), text=text, actor=forum["secretariat"]
    )


def test_a_notification_written_in_english_is_read_in_russian(forum, client_for) -> None:
    from secretariat.negotiation import actions, engine
    from secretariat.notifications.models import Notification

    negotiation = _negotiation(forum)
    working = actions.working_revision(negotiation)
    bracket = engine.draft_of(working).paragraphs[2].brackets[0].id
    with translation.override("en"):  # the chair works in English
        actions.do_resolve_bracket(
            negotiation, working, bracket_id=bracket, keep=True, actor=forum["chair"]
        )
        actions.do_compile_revision(negotiation, actor=forum["chair"], amendment_ids=[], note="x")
    row = Notification.objects.filter(user=forum["ind"], kind="negotiation.revision").latest("id")
    assert row.text == "" and row.params["title"] == "Draft statement"
    html = _russian(client_for("ind")).get("/notifications/").content.decode()
    # The quoted title is marked with its own language (a span), the sentence is Russian.
    assert re.search(r"Выпущена ред\. 2 документа «(<span[^>]*>)?Draft statement(</span>)?»", html)
    assert "is out" not in html


def test_dates_are_in_the_genitive_in_russian(forum, client_for, add_document) -> None:
    from secretariat.documents.models import Document

    document = add_document("1. Combating terrorism together.", title="Dated")
    Document.objects.filter(pk=document.pk).update(date=date(2006, 6, 17))
    ru = _russian(client_for("secretariat")).get(document.get_absolute_url()).content.decode()
    assert "17 июня 2006" in ru and "Июнь" not in ru
    en = client_for("secretariat").get(document.get_absolute_url()).content.decode()
    assert "17 June 2006" in en


@pytest.mark.parametrize(
    ("brackets", "expected"),
    [(1, "1 открытая скобка"), (2, "2 открытые скобки"), (5, "5 открытых скобок")],
)
def test_counts_take_the_russian_plural_forms(forum, client_for, brackets, expected) -> None:
    text = "DRAFT\n\n" + "".join(
        f"OP{i}. We [act] (+CHN) (-IND) now.\n\n" for i in range(1, brackets + 1)
    )
    negotiation = _negotiation(forum, text)
    page = _russian(client_for("ind")).get(negotiation.get_absolute_url()).content.decode()
    flat = re.sub(r"<[^>]+>", "", page)
    assert expected in flat
    # paragraphs: "согласовано 1 из 2 пунктов" (one heading + n items)
    assert re.search(r"согласовано \d+ из \d+ пункт(а|ов)", flat)
    assert "pending amendments" not in flat and "open brackets" not in flat


def test_the_workspace_labels_positions_in_russian(forum, client_for) -> None:
    negotiation = _negotiation(forum)
    page = _russian(client_for("ind")).get(negotiation.get_absolute_url()).content.decode()
    assert 'aria-label="Поддерживает: ' in page and 'aria-label="Возражает: ' in page
    assert "Supported by" not in page and "Opposed by" not in page
    assert 'aria-label="Текст в скобках"' in page


def test_the_javascript_catalogue_is_served_in_the_readers_language(forum, client_for) -> None:
    js = _russian(client_for("ind")).get("/jsi18n/")
    assert js.status_code == 200 and js["Content-Type"].startswith("text/javascript")
    body = js.content.decode()
    # the catalogue writes non-ASCII as JSON escapes
    assert json.dumps("Выделено: «%(words)s»") in body
    assert json.dumps("(опрос сервера)") in body
    negotiation = _negotiation(forum)
    page = client_for("ind").get(negotiation.get_absolute_url()).content.decode()
    # a script file, before the script that uses it (the CSP allows no inline script)
    assert page.index('src="/jsi18n/"') < page.index("js/podium.js")


def test_the_audit_log_shows_names_not_codes(forum, client_for) -> None:
    from secretariat.core import audit

    negotiation = _negotiation(forum)
    audit.record("negotiation.bracket.resolve", actor=forum["chair"], obj=negotiation)
    ru = _russian(client_for("secretariat")).get("/audit/").content.decode()
    assert ">Скобка снята</span>" in ru
    assert "Переговоры" in ru or "переговоры" in ru.lower()
    visible = re.sub(r"<[^>]+>", " ", ru)
    assert "negotiation.bracket.resolve" not in visible
    assert "negotiation.negotiation" not in visible
    en = client_for("secretariat").get("/audit/?action=negotiation.bracket.resolve")
    assert ">Bracket resolved</span>" in en.content.decode()


def test_the_feed_gives_each_entry_its_language_and_its_date(forum, client, add_document):
    from secretariat.documents.models import Document

    public = {"status": "published", "access_level": "public"}
    english = add_document("1. Combating terrorism together.", title="English one", **public)
    russian = add_document(
        "1. Совместная борьба с терроризмом.", title="Русский", language="ru", **public
    )
    Document.objects.filter(pk=english.pk).update(date=date(2006, 6, 17))
    Document.objects.filter(pk=russian.pk).update(date=date(2022, 10, 4))
    response = client.get("/archive/public/feed.atom")
    assert response.status_code == 200
    atom = "{http://www.w3.org/2005/Atom}"
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    entries = {
        e.findtext(f"{atom}title"): e
        for e in ElementTree.fromstring(response.content).iter(f"{atom}entry")  # noqa: S314 (our own feed)
    }
    ru = next(e for t, e in entries.items() if "Русский" in t)
    en = next(e for t, e in entries.items() if "English one" in t)
    assert ru.get(lang) == "ru" and en.get(lang) == "en"
    assert ru.findtext(f"{atom}updated").startswith("2022-10-04")
    assert en.findtext(f"{atom}published").startswith("2006-06-17")


def test_the_dashboard_says_ago(forum, client_for) -> None:
    from secretariat.notifications.actions import notify

    notify(
        [forum["ind"]],
        "negotiation.adopted",
        params={"title": "X"},
        key="ago",
    )
    ru = _russian(client_for("ind")).get("/").content.decode()
    assert re.search(r"\d+\xa0(минут|минуту|минуты) назад|0\xa0минут назад", ru), ru[:0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_span_selection_prompt_is_russian_in_the_browser(
    forum, page, live_server, login, browser_orm
) -> None:
    with browser_orm():
        negotiation = _negotiation(forum)
    login(page, "chn")
    with page.expect_navigation():
        page.select_option("#lang-select", "ru")
    page.goto(f"{live_server.url}{negotiation.get_absolute_url()}")
    para = page.locator("#para-PP1")
    para.locator("details.neg-form summary").first.click()
    source = para.locator("textarea[data-span-source]")
    source.evaluate("el => { el.focus(); el.setSelectionRange(0, 3); }")
    source.dispatch_event("select")
    show = para.locator("[data-span-show]")
    assert show.inner_text().startswith("Выделено: «")
    source.evaluate("el => el.setSelectionRange(5, 5)")
    source.dispatch_event("mouseup")
    assert show.inner_text() == "Место вставки: символ 5"


def test_the_compare_pages_position_chips_are_labelled_in_the_readers_language() -> None:
    from django.utils import translation

    from secretariat.negotiation import engine
    from secretariat.negotiation.text.compare import WordDiff

    diff = [WordDiff("equal", "envision"), WordDiff("insert", "(+CHN)")]
    with translation.override("ru"):
        russian = engine.render_diff_html(diff)
    with translation.override("en"):
        english = engine.render_diff_html(diff)
    assert 'aria-label="Поддерживает: ' in russian and "Supported by" not in russian
    assert 'aria-label="Supported by ' in english
