"""The pages: compose with a preview, the register's filters, incoming notes, templates,
press releases on the public portal at their time, and the compose form under Hypothesis."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def test_compose_preview_approve_issue_over_http(client_for, house_style):
    from secretariat.communications.models import Note, Series

    officer = client_for("secretariat")
    series = Series.objects.get(code="NV")
    form = {
        "kind": "to_delegations",
        "series": series.pk,
        "to_codes": "IND, PAL",
        "subject_en": "Invitation",
        "text_en": "invite the delegation to the SOC meeting.",
        "subject_ru": "Приглашение",
        "text_ru": "пригласить делегацию на заседание КСДЛ.",
    }
    preview = officer.post("/notes/preview/", form).content.decode()
    flat = " ".join(preview.split())
    assert "presents its compliments to India, Palestine and has the honour to invite" in flat
    assert "свидетельствует свое уважение адресатам настоящей ноты (Индия, Палестина)" in flat
    assert 'data-language="ru"' in preview
    response = officer.post("/notes/new/", form)
    note = Note.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notes/{note.pk}/"
    assert note.status == "draft" and note.reference == ""
    assert officer.post(f"/notes/{note.pk}/approve/").status_code == 302
    assert officer.post(f"/notes/{note.pk}/issue/").status_code == 302
    note.refresh_from_db()
    assert note.status == "issued" and note.reference.startswith("NV/")
    pdf = officer.get(f"/notes/{note.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    page = officer.get(f"/notes/{note.pk}/").content.decode()
    assert note.reference in page and 'data-code="IND"' in page and 'data-code="PAL"' in page


def test_unknown_codes_are_a_form_error_not_a_500(client_for, house_style):
    from secretariat.communications.models import Note, Series

    response = client_for("secretariat").post(
        "/notes/new/",
        {
            "kind": "to_delegations",
            "series": Series.objects.get(code="NV").pk,
            "to_codes": "IND, ZZZ",
            "subject_en": "S",
            "text_en": "T",
        },
    )
    assert response.status_code == 400
    assert "Unknown delegation code: ZZZ." in response.content.decode()
    assert not Note.objects.exists()


def test_register_filters(make_note, client_for):
    make_note(series="SWG/OI", issue=True)
    make_note(series="NV", issue=True, kind="to_body", body="SWG")
    officer = client_for("secretariat")
    assert "1 note" in officer.get("/notes/?series=SWG/OI").content.decode()
    assert "SWG/OI/1262" in officer.get("/notes/?body=").content.decode()
    assert "1 note" in officer.get("/notes/?body=SWG").content.decode()
    assert "0 notes" in officer.get("/notes/?year=1999").content.decode()
    assert officer.get("/notes/?year=abc&status=bogus").status_code == 200


def test_incoming_note_register(client_for, forum, house_style, add_document):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretariat.communications.models import IncomingNote

    document = add_document("The draft.\n\nSecond.", title="Draft statement")
    officer = client_for("secretariat")
    upload = SimpleUploadedFile("note.txt", b"The Embassy of India presents...")
    response = officer.post(
        "/notes/incoming/new/",
        {
            "file": upload,
            "sender": forum["ind"].delegation_id,
            "sender_reference": "IND/1",
            "received_on": "2022-10-07",
            "subject": "Comments",
            "concerns_document": document.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    incoming = IncomingNote.objects.get()
    assert incoming.concerns == document and incoming.kind == "txt"
    assert "Comments" in officer.get("/notes/?direction=in").content.decode()
    assert client_for("ind").get(f"/notes/incoming/{incoming.pk}/").status_code == 200
    assert client_for("chn").get(f"/notes/incoming/{incoming.pk}/").status_code == 404
    assert "Comments" not in client_for("chn").get("/notes/?direction=in").content.decode()
    bad = SimpleUploadedFile("x.bin", b"\x00\x01\x02binary")
    response = officer.post(
        "/notes/incoming/new/",
        {
            "file": bad,
            "sender": forum["ind"].delegation_id,
            "received_on": "2022-10-07",
            "subject": "Bad",
        },
    )
    assert response.status_code == 400 and IncomingNote.objects.count() == 1


def test_templates_editor(client_for, house_style):
    from secretariat.communications.models import NoteTemplate

    template = NoteTemplate.objects.get(kind="circular", language="en")
    officer = client_for("secretariat")
    assert officer.get("/notes/templates/").status_code == 200
    assert client_for("ind").get("/notes/templates/").status_code == 403
    broken = officer.post(
        f"/notes/templates/{template.pk}/",
        {"body": "{% if %}", "letterhead": "", "place": "Astana"},
    )
    assert broken.status_code == 400  # the form again, with the template's error
    template.refresh_from_db()
    assert "{% if %}" not in template.body
    ok = officer.post(
        f"/notes/templates/{template.pk}/",
        {"body": "UN style: {{ opening }}", "letterhead": "", "place": "Astana"},
    )
    assert ok.status_code == 302
    template.refresh_from_db()
    assert template.body == "UN style: {{ opening }}"


def test_press_release_is_public_only_after_its_time(forum, house_style, client_for, run_tasks):
    from django.utils import timezone

    from secretariat.communications import actions
    from secretariat.communications.models import Note, NoteKind, Series

    later = timezone.now() + timedelta(hours=2)
    note = actions.do_create_note(
        kind=NoteKind.PRESS_RELEASE,
        series=Series.objects.get(code="PR"),
        editions=[actions.EditionText("en", "Summit concluded", "The Summit concluded.")],
        release_at=later,
        actor=forum["secretariat"],
    )
    actions.do_approve_note(note, actor=forum["secretariat"])
    actions.do_issue_note(note, actor=forum["secretariat"])
    anonymous = client_for(None)
    run_tasks()
    assert "Summit concluded" not in anonymous.get("/notes/public/").content.decode()
    assert anonymous.get(f"/notes/public/{note.pk}/").status_code == 404
    # The task is a row with run_after: when the time comes the worker releases it.
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.get(task_path__endswith="release_press_release")
    assert abs((row.run_after - later).total_seconds()) < 1
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=timezone.now())
    Note.objects.filter(pk=note.pk).update(release_at=timezone.now())
    run_tasks()
    assert "Summit concluded" in anonymous.get("/notes/public/").content.decode()
    assert anonymous.get(f"/notes/public/{note.pk}/").status_code == 200
    assert anonymous.get(f"/notes/public/{note.pk}/pdf/").status_code == 200
    feed = anonymous.get("/notes/public/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Summit concluded" in feed.content.decode()
    # Idempotent: running the task again changes nothing.
    from secretariat.communications.tasks import release_press_release

    assert release_press_release.call(note.pk) == "already released"


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["circular", "to_delegations", "to_body", "press_release", "bogus"]),
    to_codes=st.text(max_size=40),
    subject=st.text(max_size=320),
    text=st.text(max_size=400),
    corrects=st.text(max_size=90),
    release=st.text(max_size=30),
)
def test_compose_form_never_500(
    client_for, house_style, kind, to_codes, subject, text, corrects, release
):
    from secretariat.communications.models import Series

    officer = client_for("secretariat")
    data = {
        "kind": kind,
        "series": Series.objects.get(code="NV").pk,
        "to_codes": to_codes,
        "subject_en": subject,
        "text_en": text,
        "subject_kk": subject,
        "text_kk": text,
        "corrects": corrects,
        "release_at": release,
        "body": "",
    }
    for url in ("/notes/preview/", "/notes/new/"):
        response = officer.post(url, data)
        assert response.status_code in (200, 302, 400)


def test_an_adopted_document_is_released_on_the_portal_at_its_time(
    client_for, add_document, run_tasks
):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from secretariat.archive.public import public_documents

    document = add_document("The adopted statement.\n\nSecond.", title="Adopted statement")
    draft = add_document("A draft.\n\nSecond.", title="Draft", status="draft")
    officer = client_for("secretariat")
    later = timezone.now() + timedelta(hours=1)
    when = timezone.localtime(later).strftime("%Y-%m-%dT%H:%M")
    refused = officer.post("/notes/releases/", {"document": draft.pk, "release_at": when})
    assert refused.status_code == 400 and "Only an adopted" in refused.content.decode()
    assert client_for("ind").get("/notes/releases/").status_code == 403
    response = officer.post("/notes/releases/", {"document": document.pk, "release_at": when})
    assert response.status_code == 302
    run_tasks()
    assert not public_documents().filter(pk=document.pk).exists()  # embargoed
    DBTaskResult.objects.filter(task_path__endswith="release_document").update(
        run_after=timezone.now()
    )
    from secretariat.communications.models import DocumentRelease

    DocumentRelease.objects.update(release_at=timezone.now())
    run_tasks()
    assert public_documents().filter(pk=document.pk).exists()
    assert client_for(None).get(f"/archive/public/{document.pk}/").status_code == 200


def test_editing_a_draft_keeps_its_kind(make_note, client_for):
    from secretariat.communications.models import Series

    note = make_note(approve=False)
    officer = client_for("secretariat")
    page = officer.get(f"/notes/{note.pk}/edit/").content.decode()
    assert 'name="kind" value="circular"' in page
    response = officer.post(
        f"/notes/{note.pk}/edit/",
        {
            "kind": "to_body",
            "series": Series.objects.get(code="SOC/OI").pk,
            "subject_en": "New subject",
            "text_en": "forward a new text.",
            "subject_ru": "Новая тема",
            "text_ru": "препроводить новый текст.",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.kind == "circular" and note.series.code == "SOC/OI"
    assert note.subject == "New subject" and note.editions.count() == 2
    note = make_note()  # approved: no more edits
    assert officer.get(f"/notes/{note.pk}/edit/").status_code == 302


def test_series_are_set_up_in_the_admin(client_for, make_note):
    """Where the forum's register names no series (an installation set up by hand); where it
    names some, only those number notes (tests/foundation/test_forum_register_in_use.py)."""
    from secretariat.accounts.models import Forum

    Forum.objects.update(reference_series=[])
    officer = client_for("secretariat")
    response = officer.post(
        "/admin/communications/series/add/",
        {"code": "SOM/OI", "title": "SOM", "format": "{series}/{number}", "start_at": 1},
    )
    assert response.status_code == 302
    note = make_note(series="SOM/OI", issue=True)
    assert note.reference == "SOM/OI/1"
    assert officer.get(f"/admin/communications/note/{note.pk}/change/").status_code == 200
    assert officer.post(f"/admin/communications/note/{note.pk}/delete/").status_code == 403
