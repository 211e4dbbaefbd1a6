"""Editions keep versions (an earlier text stays, with who, when and which revision it
translated); translators are assigned per language, per negotiation or forum-wide, and only
they (or a secretariat manager) may change that language's edition; the queue shows each
translator their languages and caches its alignments by the revisions' versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from secretariat.accounts.models import Role, User
from secretariat.core.models import AuditEvent
from secretariat.negotiation import actions, editions
from secretariat.negotiation.models import (
    EditionParagraph,
    EditionParagraphVersion,
    TranslatorAssignment,
)

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "negotiation" / "demo_texts"
RU = (TEXTS / "astana-statement-podium.ru.txt").read_text(encoding="utf-8")


@pytest.fixture
def translator(forum) -> User:
    """Secretariat staff, not a manager (no superuser, no assigning permission)."""
    return User.objects.create_user(
        "aizhan", email="aizhan@demo.secretariat.test", role=Role.SECRETARIAT
    )


def _history(edition, number):
    return list(
        EditionParagraphVersion.objects.filter(edition=edition, number=number).order_by("pk")
    )


def test_loading_and_updating_keep_every_earlier_text(astana, forum, client_for):
    manager = forum["secretariat"]
    ed = actions.do_load_edition(astana, language="ru", text=RU, actor=manager)
    assert EditionParagraphVersion.objects.filter(edition=ed, via="load").count() == 32
    op4 = EditionParagraph.objects.get(edition=ed, notation__startswith="OP4.")
    first_text = op4.notation
    actions.do_update_edition_paragraph(
        op4, notation=first_text.replace("в сферах", "в сферах общего"), actor=manager
    )
    kept = _history(ed, op4.number)
    assert [v.via for v in kept] == ["load", "paragraph"]
    assert kept[0].notation == first_text and kept[0].made_by == manager
    assert kept[0].source_revision == 1
    assert "общего" in kept[1].notation
    # a second load: one paragraph changed, the last one dropped; the rest write nothing
    paras = RU.split("\n\n")
    changed = next(i for i, p in enumerate(paras) if p.startswith("PP1."))
    paras[changed] = paras[changed] + " (изменено)"
    last = ed.paragraphs.count()
    before = EditionParagraphVersion.objects.count()
    actions.do_load_edition(astana, language="ru", text="\n\n".join(paras[:-1]), actor=manager)
    new = EditionParagraphVersion.objects.filter(pk__gt=0).order_by("pk")[before:]
    assert sorted(v.via for v in new) == ["load", "load", "removed"]  # PP1, OP4 reverted
    removed = [v for v in new if v.via == "removed"]
    assert removed[0].number == last and removed[0].notation == ""
    assert not ed.paragraphs.filter(number=last).exists()
    assert _history(ed, last)[0].notation  # the dropped paragraph's text is still kept
    assert len(_history(ed, op4.number)) == 3
    # the history is shown on the paragraph's page, newest first
    page = client_for("secretariat").get(f"/negotiations/{astana.pk}/editions/ru/{op4.number}/")
    html = page.content.decode()
    assert "History of this paragraph" in html
    assert html.count("<pre") == 3 and "в сферах общего" in html


def test_only_assigned_translators_change_an_edition(astana, small, forum, translator, client_for):
    manager = forum["secretariat"]
    with pytest.raises(PermissionDenied):
        actions.do_load_edition(astana, language="ru", text=RU, actor=translator)
    c = Client()
    c.force_login(translator)
    assert c.get("/negotiations/translations/ru/").status_code == 403
    assert c.get("/negotiations/translators/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.do_assign_translator(
            translator=translator, language="ru", negotiation=None, actor=translator
        )
    # a delegate can never be a translator
    with pytest.raises(actions.ActionError):
        actions.do_assign_translator(
            translator=forum["ind"], language="ru", negotiation=None, actor=manager
        )
    # assigned to Russian for the Astana Statement only
    actions.do_assign_translator(
        translator=translator, language="ru", negotiation=astana, actor=manager
    )
    event = AuditEvent.objects.filter(action="negotiation.translator.assign").latest("pk")
    assert event.detail["translator"] == "aizhan" and event.detail["language"] == "ru"
    # The negotiation's title is the forum's words, marked with its language (in the table
    # and in the form's choices), so a Russian page reads it as English.
    m = Client()
    m.force_login(manager)
    m.cookies["django_language"] = "ru"
    page = m.get("/negotiations/translators/").content.decode()
    assert f'<span lang="en">{astana.title}</span>' in page
    assert f'lang="en">{astana.title}</option>' in page
    ed = actions.do_load_edition(astana, language="ru", text=RU, actor=translator)
    with pytest.raises(PermissionDenied):
        actions.do_load_edition(astana, language="kk", text=RU, actor=translator)
    with pytest.raises(PermissionDenied):
        actions.do_load_edition(small, language="ru", text="PP1. Текст.", actor=translator)
    row = ed.paragraphs.first()
    assert c.get(f"/negotiations/{astana.pk}/editions/ru/{row.number}/").status_code == 200
    actions.do_load_edition(astana, language="kk", text=RU, actor=manager)
    kk_row = EditionParagraph.objects.filter(edition__language="kk").first()
    assert c.get(f"/negotiations/{astana.pk}/editions/kk/{kk_row.number}/").status_code == 403
    # the queue: their language only
    queue = c.get("/negotiations/translations/ru/")
    assert queue.status_code == 200
    html = queue.content.decode()
    assert "PP4" in html and "/negotiations/translations/kk/" not in html
    assert c.get("/negotiations/translations/kk/").status_code == 403
    # the manager assigns forum-wide through the page, and ends it
    m = client_for("secretariat")
    r = m.post(
        "/negotiations/translators/",
        {"translator": translator.pk, "language": "kk", "negotiation": ""},
    )
    assert r.status_code == 302
    forum_wide = TranslatorAssignment.objects.get(translator=translator, language="kk")
    assert forum_wide.negotiation is None and forum_wide.assigned_by == manager
    assert c.get("/negotiations/translations/kk/").status_code == 200
    actions.do_update_edition_paragraph(kk_row, notation="PP1. Мәтін.", actor=translator)
    assert m.post("/negotiations/translators/", {"remove": forum_wide.pk}).status_code == 302
    assert not TranslatorAssignment.objects.filter(pk=forum_wide.pk).exists()
    assert AuditEvent.objects.filter(action="negotiation.translator.unassign").exists()
    with pytest.raises(PermissionDenied):
        actions.do_update_edition_paragraph(kk_row, notation="PP1. Мәтін 2.", actor=translator)


def test_the_queue_aligns_once_per_version(astana, forum, client_for, monkeypatch):
    manager = forum["secretariat"]
    ed = actions.do_load_edition(astana, language="ru", text=RU, actor=manager)
    calls = []
    real = editions.lag_and_parity

    def counting(negotiation, edition):
        calls.append(edition.pk)
        return real(negotiation, edition)

    monkeypatch.setattr(editions, "lag_and_parity", counting)
    c = client_for("secretariat")
    first = c.get("/negotiations/translations/ru/").content.decode()
    second = c.get("/negotiations/translations/ru/").content.decode()
    assert calls == [ed.pk] and "PP4" in first
    assert first.count("<tr>") == second.count("<tr>") > 1
    # a translator's update is a new version of the edition: aligned again
    row = EditionParagraph.objects.get(edition=ed, notation__startswith="PP4.")
    actions.do_update_edition_paragraph(row, notation=row.notation + " ", actor=manager)
    c.get("/negotiations/translations/ru/")
    assert calls == [ed.pk, ed.pk]
    # so is a new revision of the source
    working = actions.working_revision(astana)
    from secretariat.negotiation import compiling
    from secretariat.negotiation.actions.revisions import current_issued

    seen = compiling.paragraph_notation(working.notation, "OP4")
    actions.do_edit_paragraph(
        astana,
        working,
        key="OP4",
        notation=seen.replace("areas of interest", "areas of common interest"),
        seen=seen,
        actor=manager,
    )
    current_issued(astana, manager, "test")
    third = c.get("/negotiations/translations/ru/").content.decode()
    assert calls == [ed.pk, ed.pk, ed.pk]
    assert "Translates Rev. 1, source is Rev. 2" in third
