"""Language editions of a negotiation: lag after a new revision, bracket parity, the page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import almaty
from secretariat.negotiation import actions, compiling, editions
from secretariat.negotiation.actions.revisions import current_issued
from secretariat.negotiation.models import Edition, EditionParagraph

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "negotiation" / "demo_texts"
RU = (TEXTS / "astana-statement-podium.ru.txt").read_text(encoding="utf-8")


def _new_revision(negotiation, actor, key: str, old: str, new: str):
    working = actions.working_revision(negotiation)
    seen = compiling.paragraph_notation(working.notation, key)
    actions.do_edit_paragraph(
        negotiation, working, key=key, notation=seen.replace(old, new), seen=seen, actor=actor
    )
    return current_issued(negotiation, actor, "test")


def test_loaded_edition_records_what_it_translates(astana, forum):
    ed = actions.do_load_edition(astana, language="ru", text=RU, actor=forum["secretariat"])
    rows = list(ed.paragraphs.order_by("number"))
    assert len(rows) == 32
    assert {r.source_revision for r in rows} == {1}
    pp1 = next(r for r in rows if r.notation.startswith("PP1."))
    assert pp1.source_notation.startswith("PP1. Recognizing that rapid changes")
    assert editions.lag_and_parity(astana, ed) == [
        {
            "kind": "parity",
            "label": "PP4",
            "rows": [rows[6].pk],
            "issue": "bracket_count",
            "source": 2,
            "edition": 1,
        },
    ]


def test_lag_after_a_new_revision_changes_one_paragraph(astana, forum):
    actor = forum["secretariat"]
    ed = actions.do_load_edition(astana, language="ru", text=RU, actor=actor)
    rev = _new_revision(astana, actor, "OP4", "areas of interest", "areas of common interest")
    assert rev.number == 2
    flags = [f for f in editions.lag_and_parity(astana, ed) if f["kind"] == "lag"]
    assert len(flags) == 1
    (flag,) = flags
    assert (flag["label"], flag["translates"], flag["source"]) == ("OP4", 1, 2)
    assert ("insert", "common") in [tuple(x) for x in flag["diff"]]
    # the translator updates the paragraph: it now translates Rev.2 and the flag goes
    row = EditionParagraph.objects.get(pk=flag["rows"][0])
    actions.do_update_edition_paragraph(
        row, notation=row.notation.replace("в сферах", "в сферах общего"), actor=actor
    )
    row.refresh_from_db()
    assert row.source_revision == 2 and "common interest" in row.source_notation
    assert not [f for f in editions.lag_and_parity(astana, ed) if f["kind"] == "lag"]


def test_parity_mismatch_on_a_missing_bracket(small, forum):
    ru = (
        "ПРОЕКТ ЗАЯВЛЕНИЯ\n\nPP1. Признавая, что стремительные перемены требуют укрепления "
        "сотрудничества;\n\nPP2. Подтверждая приверженность Уставу ООН и его целям (+CHN) "
        "(-IND);\n\nOP1. Настоящим мы начинаем переговорный процесс."
    )
    ed = actions.do_load_edition(small, language="ru", text=ru, actor=forum["secretariat"])
    flags = editions.lag_and_parity(small, ed)
    assert [(f["label"], f["kind"], f["issue"]) for f in flags] == [
        ("PP2", "parity", "bracket_count")
    ]
    assert (flags[0]["source"], flags[0]["edition"]) == (1, 0)


def test_demo_flags_two_stale_paragraphs_and_one_parity(forum):
    from io import StringIO

    from secretariat.negotiation.demo import load_demo
    from secretariat.negotiation.models import Negotiation

    load_demo(StringIO())
    neg = Negotiation.objects.get(title__startswith="Draft Astana")
    ed = Edition.objects.get(negotiation=neg, language="ru")
    flags = editions.lag_and_parity(neg, ed)
    assert sorted((f["label"], f["kind"]) for f in flags) == [
        ("OP4", "lag"),
        ("PP11", "lag"),
        ("PP4", "parity"),
    ]
    view = editions.side_by_side(neg, [ed])
    assert view.revision.number == 2
    labelled = [r for r in view.rows if r.label]
    assert all(r.cells[0].paragraphs and r.cells[0].label == r.label for r in labelled)


# --- pages ---------------------------------------------------------------------------------


def test_side_by_side_page_shows_brackets_lag_and_parity(astana, forum, client_for):
    actor = forum["secretariat"]
    actions.do_load_edition(astana, language="ru", text=RU, actor=actor)
    _new_revision(astana, actor, "OP4", "areas of interest", "areas of common interest")
    r = client_for("ind").get(f"/negotiations/{astana.pk}/editions/?lang=ru")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Будучи по-прежнему убеждены" in html and "Remaining convinced" in html
    assert "Translates Rev. 1, source is Rev. 2" in html
    assert "<ins>common</ins>" in html
    assert "1 bracket where the source has 2" in html
    assert html.count('class="nt-bracket') == 9 + 8  # source 9 brackets, the edition 8
    assert "Update the translation" not in html  # a delegate is no translator


def test_a_russian_reader_hears_russian_names_and_the_english_left_in_the_edition_marked(
    astana, forum, client_for
):
    """The Russian edition's cells are marked lang="ru": its chips and notes name the
    delegations in Russian, and what the edition left in English (the "altern." label, a
    qualifier, a note) is marked lang="en" (the sweep reads no English on a Russian page)."""
    actions.do_load_edition(astana, language="ru", text=RU, actor=forum["secretariat"])
    client = client_for("ind")
    client.cookies["django_language"] = "ru"
    html = client.get(f"/negotiations/{astana.pk}/editions/?lang=ru").content.decode()
    cells = "".join(re.findall(r'<td lang="ru".*?</td>', html, re.S))
    assert 'aria-label="Примечание: Вьетнам">(VIE: <span lang="en">with PP5c</span>)' in cells
    assert '<span class="nt-label" lang="en">PP5e altern.</span>' in cells
    assert '<span class="nt-qualifier" lang="en">with reservation</span>' in cells
    assert 'aria-label="Поддерживает: Иран"' in cells
    assert "Viet Nam" not in cells and "Iran" not in cells


def test_outsiders_get_404_and_delegates_403_on_editions(start_negotiation, forum, client_for):
    neg = start_negotiation("PP1. Recalling [the Charter] (+RUS);", body="ICT-WG")
    actions.do_load_edition(
        neg, language="ru", text="PP1. Ссылаясь на [Устав] (+RUS);", actor=forum["secretariat"]
    )
    isr = client_for("isr")
    assert isr.get(f"/negotiations/{neg.pk}/editions/").status_code == 404
    assert isr.get(f"/negotiations/{neg.pk}/editions/ru/1/").status_code == 404
    assert "Ссылаясь" not in isr.get("/negotiations/translations/ru/").content.decode()
    rus = client_for("rus")
    assert rus.get(f"/negotiations/{neg.pk}/editions/").status_code == 200
    assert rus.get(f"/negotiations/{neg.pk}/editions/ru/1/").status_code == 403
    assert (
        rus.post(
            f"/negotiations/{neg.pk}/editions/load/", {"language": "ru", "text": "x"}
        ).status_code
        == 403
    )
    assert rus.get("/negotiations/translations/ru/").status_code == 403


def test_translator_queue_and_update_one_paragraph(astana, forum, client_for):
    actor = forum["secretariat"]
    actions.do_load_edition(astana, language="ru", text=RU, actor=actor)
    _new_revision(astana, actor, "OP4", "areas of interest", "areas of common interest")
    sec = client_for("secretariat")
    queue = sec.get("/negotiations/translations/ru/").content.decode()
    assert "OP4" in queue and "PP4" in queue
    row = EditionParagraph.objects.get(edition__negotiation=astana, notation__startswith="OP4.")
    url = f"/negotiations/{astana.pk}/editions/ru/{row.number}/"
    page = sec.get(url).content.decode()
    assert "Translates Rev. 1, source is Rev. 2" in page
    assert sec.post(url, {"notation": "bad\x00"}).status_code == 400
    r = sec.post(url, {"notation": row.notation.replace("в сферах", "в сферах общего")})
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.source_revision == 2 and "общего" in row.notation
    queue = sec.get("/negotiations/translations/ru/").content.decode()
    assert "OP4" not in queue and "PP4" in queue


def test_load_an_edition_from_docx(astana, forum, client_for):
    from secretariat.negotiation import engine

    docx = engine.write_docx(engine.parse(RU))
    sec = client_for("secretariat")
    r = sec.post(
        f"/negotiations/{astana.pk}/editions/load/",
        {"language": "kk", "file": _upload("astana-kk.docx", docx)},
    )
    assert r.status_code == 302
    ed = Edition.objects.get(negotiation=astana, language="kk")
    assert ed.paragraphs.count() == 32
    assert (
        sec.post(
            f"/negotiations/{astana.pk}/editions/load/", {"language": "xx", "text": "PP1. x"}
        ).status_code
        == 400
    )


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --- the archive's editions: a precedent in English shows its Russian, and back ------------


def test_a_precedent_shows_its_aligned_edition_both_ways(forum):
    from secretariat.documents.models import Paragraph

    en, ru = almaty.library_editions(forum, kazakh=False)
    en_p2 = Paragraph.objects.get(version=en.current_version, text__contains="terrorism")
    (hit,) = editions.aligned_in_editions(forum["ind"], en.pk, en_p2.number)
    assert hit["language"] == "ru" and "терроризм не может" in hit["text"]
    ru_p3 = Paragraph.objects.get(version=ru.current_version, text__contains="Стамбуле")
    (back,) = editions.aligned_in_editions(forum["ind"], ru.pk, ru_p3.number)
    assert back["language"] == "en" and "Istanbul" in back["text"]


def test_agreed_language_panel_offers_the_russian_edition(astana, forum, client_for, monkeypatch):
    from secretariat.archive import finding
    from secretariat.documents.models import Paragraph

    en, _ru = almaty.library_editions(forum, kazakh=False)
    p = Paragraph.objects.get(version=en.current_version, text__contains="terrorism")
    hit = {
        "document": en.title,
        "document_id": en.pk,
        "paragraph": p.number,
        "score": 0.9,
        "symbol": None,
        "date": None,
        "text": p.text,
        "diff": [],
        "url": "/",
    }
    monkeypatch.setattr(finding, "closest_language", lambda user, text, k=1: [dict(hit)])
    panel = client_for("ind").get(f"/negotiations/{astana.pk}/p/PP4/agreed-language/")
    html = panel.content.decode()
    assert "In the Russian edition:" in html and "терроризм не может" in html


def test_the_translators_queue_costs_the_same_queries_for_many_negotiations(
    start_negotiation, forum, client_for, django_assert_max_num_queries
):
    """Its editions, their sources and versions are read for all negotiations at once, not a
    few queries per negotiation (each edition here lacks its source's brackets: flagged)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = forum["secretariat"]

    def add(n: int) -> None:
        for i in range(n):
            neg = start_negotiation(
                f"PP1. Recalling [the Charter {i}] (+RUS);\n\nOP1. We agree.", title=f"Text {i}"
            )
            actions.do_load_edition(
                neg, language="ru", text=f"PP1. Ссылаясь на Устав {i} (+RUS);", actor=actor
            )
        start_negotiation("PP1. Without any edition.", title="No edition")

    sec = client_for("secretariat")
    url = "/negotiations/translations/ru/"

    def count() -> int:
        sec.get(url)  # the flags of each edition are cached after the first look
        with CaptureQueriesContext(connection) as captured:
            page = sec.get(url)
        assert page.status_code == 200 and "Text 1" in page.content.decode()
        return len(captured)

    add(2)
    few = count()
    add(4)
    assert count() == few
    with django_assert_max_num_queries(14):
        sec.get(url)
