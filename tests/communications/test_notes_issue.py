"""Issuing: numbers from the register at issue, frozen editions, the stored PDF."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


def pdf_text(note) -> str:
    from django.core.files.storage import default_storage

    with default_storage.open(note.pdf_file, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_it_numbers_at_issue_never_at_draft(make_note):
    draft = make_note(approve=False)
    assert draft.number is None and draft.reference == ""
    note = make_note(issue=True)
    assert note.status == "issued"
    assert note.number == 1
    assert note.reference == f"NV/{note.issued_on.year}/1"
    second = make_note(issue=True)
    assert second.number == 2


def test_it_continues_the_paper_register(make_note):
    note = make_note(series="SWG/OI", issue=True)
    assert note.reference == "SWG/OI/1262"


def test_pdf_has_russian_and_kazakh_formulas_as_text(make_note):
    note = make_note(issue=True, languages=("en", "ru", "kk"))
    text = " ".join(pdf_text(note).split())
    assert "presents its compliments to the CICA Member States" in text
    assert "свидетельствует свое уважение государствам-членам СВМДА" in text
    assert "уверения в своем самом высоком уважении" in text
    assert "өзінің зор ілтипатын білдіреді" in text
    assert "өзінің зор ілтипатын тағы да растайды" in text
    assert note.reference in text


def test_the_issued_pdf_is_stored_once_and_never_changes(make_note):
    import hashlib

    from django.core.files.storage import default_storage

    note = make_note(issue=True)
    with default_storage.open(note.pdf_file, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == note.pdf_sha256
    assert note.pdf_sha256 in note.pdf_file


def test_an_issued_note_cannot_be_changed(make_note, forum):
    from secretariat.communications import actions

    note = make_note(issue=True)
    with pytest.raises(actions.ActionError):
        actions.do_update_note(
            note, editions=[actions.EditionText("en", "x", "y")], actor=forum["secretariat"]
        )
    with pytest.raises(actions.ActionError):
        actions.do_issue_note(note, actor=forum["secretariat"])


def test_a_correction_refers_to_the_old_note(make_note, forum):
    from secretariat.communications import actions
    from secretariat.communications.models import NoteKind, Series

    old = make_note(issue=True)
    fix = actions.do_create_note(
        kind=NoteKind.CIRCULAR,
        series=Series.objects.get(code="NV"),
        editions=[actions.EditionText("en", "Corrigendum", "forward the corrected list.")],
        corrects=old,
        actor=forum["secretariat"],
    )
    actions.do_approve_note(fix, actor=forum["secretariat"])
    fix = actions.do_issue_note(fix, actor=forum["secretariat"])
    assert fix.corrects == old
    assert f"Corrects note № {old.reference}" in fix.editions.get().rendered


def test_distinct_approver_when_the_series_wants_it(make_note, forum):
    from secretariat.accounts.models import Role, User
    from secretariat.communications import actions
    from secretariat.communications.models import Series

    Series.objects.filter(code="NV").update(distinct_approver=True)
    note = make_note(approve=False)
    with pytest.raises(actions.ActionError):
        actions.do_approve_note(note, actor=forum["secretariat"])
    other = User.objects.create_user("officer2", role=Role.SECRETARIAT)
    assert actions.do_approve_note(note, actor=other).status == "approved"


def test_unknown_delegation_codes_are_refused(house_style):
    from secretariat.communications import actions

    with pytest.raises(actions.ActionError, match="XYZ"):
        actions.find_delegations(["IND", "XYZ"])


def test_enclosure_pages_counted_from_pdf_and_from_rendered_text(make_note, add_document, forum):
    from secretariat.communications import actions, rendering

    note = make_note(approve=False)
    pdf = rendering.pdf_from_html("<p>one</p><p style='page-break-before: always'>two</p>")
    pdf_doc = add_document(pdf, filename="two-pages.pdf", title="Two pages")
    long_text = "\n\n".join(f"Paragraph {i}. " + "word " * 80 for i in range(60))
    txt_doc = add_document(long_text, filename="long.txt", title="Long text")
    e1 = actions.do_add_enclosure(note, pdf_doc.current_version, actor=forum["secretariat"])
    e2 = actions.do_add_enclosure(note, txt_doc.current_version, actor=forum["secretariat"])
    assert e1.pages == 2
    assert e2.pages == rendering.count_pdf_pages(
        rendering.pdf_from_html(f'<div class="enclosure-text">{long_text}</div>')
    )
    assert e2.pages > 3
    actions.do_approve_note(note, actor=forum["secretariat"])
    note = actions.do_issue_note(note, actor=forum["secretariat"])
    total = e1.pages + e2.pages
    assert f"on {total} p." in note.editions.get().rendered


def test_the_fetcher_refuses_remote_urls():
    from secretariat.communications import rendering

    with pytest.raises(ValueError):
        rendering.refuse_remote("https://example.org/font.ttf")
    with pytest.raises(ValueError):
        rendering.refuse_remote("file:///etc/passwd")


def test_the_pdf_embeds_the_shipped_fonts(make_note):
    from django.core.files.storage import default_storage

    note = make_note(issue=True, languages=("kk",))
    with default_storage.open(note.pdf_file, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Subset names look like "/ABCDEF+Note-Serif": the @font-face of the shipped files.
    assert fonts and all(name.split("+")[-1].startswith("Note-") for name in fonts), fonts
