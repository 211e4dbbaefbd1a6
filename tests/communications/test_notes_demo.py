"""The demo's notes: SWG/OI/1262 issued in three languages with the circular's drafts enclosed,
receipts from some delegations, an incoming note; loading again changes nothing."""

from __future__ import annotations

import io

import pytest


@pytest.mark.slow
def test_demo_notes(forum, finder_index, client_for):
    from secretariat.archive.demo import load_demo as load_library
    from secretariat.communications.demo import load_demo
    from secretariat.communications.models import IncomingNote, Note
    from secretariat.core.models import AuditEvent

    load_library(io.StringIO())
    load_demo(io.StringIO())
    note = Note.objects.get(reference="SWG/OI/1262")
    assert note.status == "issued" and str(note.issued_on) == "2022-10-04"
    assert sorted(note.editions.values_list("language", flat=True)) == ["en", "kk", "ru"]
    enclosure = note.enclosures.get()
    assert enclosure.version.document.symbol == "SWG/OI/1262"
    assert enclosure.pages > 5
    rendered = note.editions.get(language="en").rendered
    assert f"on {enclosure.pages} p." in rendered and "Astana, 4 October 2022" in rendered
    assert "город Астана, 4 октября 2022 г." in note.editions.get(language="ru").rendered
    assert "Астана қаласы, 2022 жылғы 4 қазан" in note.editions.get(language="kk").rendered
    # The letterhead's two lines are in two languages, each marked with its own: the Russian
    # edition's English line is read as English on a Russian page.
    assert '<p lang="en">Secretariat of the Conference' in note.editions.get(language="ru").rendered
    assert '<p lang="ru">Секретариат Совещания' in note.editions.get(language="en").rendered
    assert note.recipients.count() == 28
    assert set(
        note.recipients.exclude(opened_at=None).values_list("delegation__code", flat=True)
    ) == {"CHN", "RUS"}
    assert note.recipients.get(delegation__code="CHN").acknowledged_at is not None
    assert IncomingNote.objects.get().sender.code == "IND"
    counts = (Note.objects.count(), IncomingNote.objects.count(), AuditEvent.objects.count())
    load_demo(io.StringIO())
    assert (Note.objects.count(), IncomingNote.objects.count(), AuditEvent.objects.count()) == (
        counts
    )
    page = client_for("rus").get(f"/notes/{note.pk}/").content.decode()
    assert "свидетельствует свое уважение" in page
