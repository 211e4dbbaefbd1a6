"""Who sees what: published agendas only for delegations; an outsider sees nothing of an ICT
working group meeting in any list, count, feed or calendar; readers get 403 on managing."""

from __future__ import annotations

import icalendar

from secretariat.meetings import actions
from secretariat.meetings.access import visible_meetings
from secretariat.meetings.dashboard import whats_new


def test_a_delegate_sees_the_published_agenda_and_never_the_draft(swg_meeting, client_for):
    chn = client_for("chn")
    page = chn.get(swg_meeting.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Provisional agenda" in html
    assert "Draft Astana Statement" in html
    assert "The podium version." in html
    assert "Secret draft item XYZZY" not in html
    draft = swg_meeting.items.get(title="Secret draft item XYZZY")
    assert chn.get(draft.get_absolute_url()).status_code == 404
    published = swg_meeting.items.get(title="Draft Astana Statement")
    assert chn.get(published.get_absolute_url()).status_code == 200
    # the secretariat sees its working agenda with the draft item
    officer = client_for("secretariat").get(swg_meeting.get_absolute_url()).content.decode()
    assert "Secret draft item XYZZY" in officer


def test_each_published_state_is_kept(swg_meeting, forum, client_for):
    officer = forum["secretariat"]
    item = swg_meeting.items.get(title="Draft Astana Statement")
    actions.do_add_item(swg_meeting, title="Late item", actor=officer)
    revised = actions.do_publish_agenda(swg_meeting, "revised", actor=officer)
    first = swg_meeting.editions.get(number=1)
    assert [line.title for line in first.lines.all()] == [
        "Opening of the meeting",
        "Draft Astana Statement",
    ]
    assert [line.label for line in revised.lines.all()] == ["1", "2", "3", "4"]
    assert revised.lines.get(title="Late item").supplementary
    chn = client_for("chn")
    old = chn.get(f"/meetings/{swg_meeting.pk}/agenda/1/").content.decode()
    assert "Late item" not in old and "Provisional agenda" in old
    assert "Revised provisional agenda" in chn.get(swg_meeting.get_absolute_url()).content.decode()
    adopted = actions.do_publish_agenda(swg_meeting, "adopted", actor=officer)
    assert adopted.adopted_on is not None
    assert item.pk in {line.item_id for line in adopted.lines.all()}


def test_an_outsider_sees_nothing_of_an_ict_working_group_meeting(ict_meeting, forum, client_for):
    ind = client_for("ind")  # India does not sit in the ICT working group
    secret = "QWERTY"
    assert visible_meetings(forum["ind"]).filter(pk=ict_meeting.pk).count() == 0
    listing = ind.get("/meetings/").content.decode()
    assert secret not in listing
    assert "0 meetings" in listing
    assert ind.get(ict_meeting.get_absolute_url()).status_code == 404
    for suffix in (
        "registration/",
        "participants/",
        "participants.docx",
        "documents.zip",
        "seating/",
    ):
        assert ind.get(f"{ict_meeting.get_absolute_url()}{suffix}").status_code == 404, suffix
    assert secret not in ind.get("/").content.decode()
    assert all(secret not in i["text"] for b in whats_new(forum["ind"]) for i in b["items"])
    token = actions.calendar_token(forum["ind"]).token
    for path in (f"/calendar/feed/{token}.ics", f"/calendar/feed/{token}/ICT-WG.ics"):
        cal = icalendar.Calendar.from_ical(ind.get(path).content)
        assert all(secret not in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    # a member of the group sees it everywhere
    chn = client_for("chn")
    assert secret in chn.get("/meetings/").content.decode()
    assert chn.get(ict_meeting.get_absolute_url()).status_code == 200
    cal = icalendar.Calendar.from_ical(
        chn.get(f"/calendar/feed/{actions.calendar_token(forum['chn']).token}.ics").content
    )
    assert any(secret in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert any(secret in i["text"] for b in whats_new(forum["chn"]) for i in b["items"])


def test_the_observer_gets_404_and_a_delegate_403_on_managing(swg_meeting, client_for):
    url = swg_meeting.get_absolute_url()
    observer = client_for("observer")
    assert observer.get(url).status_code == 404
    assert observer.get(f"{url}edit/").status_code == 404
    chn = client_for("chn")
    assert chn.get(f"{url}edit/").status_code == 403
    assert chn.post(f"{url}items/add/", {"title": "Mine"}).status_code == 403
    assert chn.post(f"{url}agenda/publish/", {"publish-kind": "adopted"}).status_code == 403
    assert chn.get("/meetings/new/").status_code == 403
    assert swg_meeting.items.filter(title="Mine").count() == 0
    assert swg_meeting.editions.count() == 1


def test_the_secretariat_creates_a_meeting_through_the_form(client_for, forum):
    from secretariat.accounts.models import Body
    from secretariat.meetings.models import Meeting

    officer = client_for("secretariat")
    response = officer.post(
        "/meetings/new/",
        {
            "title": "Urgent consultation on the Statement",
            "body": Body.objects.get(code="SOC").pk,
            "access_level": "body",
            "starts_at": "2030-01-10T10:00",
            "ends_at": "2030-01-10T12:00",
            "time_zone": "Asia/Almaty",
            "is_urgent": "on",
            "precedence": "lot",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Urgent consultation on the Statement")
    assert meeting.is_urgent
    assert meeting.starts_at.isoformat() == "2030-01-10T05:00:00+00:00"


def test_the_document_list_and_zip_hold_only_what_the_reader_may_see(
    swg_meeting, forum, client_for, add_document
):
    import io
    import zipfile

    from secretariat.accounts.models import Body

    officer = forum["secretariat"]
    item = swg_meeting.items.get(title="Draft Astana Statement")
    open_doc = add_document(
        "Open draft text.", filename="open.txt", title="Open draft", symbol="SWG/1"
    )
    closed = add_document(
        "Secretariat working note.",
        filename="closed.txt",
        title="Secretariat only note",
        access_level="secretariat",
    )
    ict = add_document(
        "ICT group paper.",
        filename="ict.txt",
        title="ICT paper",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )
    for doc in (open_doc, closed, ict):
        actions.do_attach_document(item, doc, "advance", actor=officer)
    chn, ind = client_for("chn"), client_for("ind")
    page = ind.get(swg_meeting.get_absolute_url()).content.decode()
    assert "Open draft" in page and "Secretariat only note" not in page and "ICT paper" not in page

    def names(client):
        response = client.get(f"{swg_meeting.get_absolute_url()}documents.zip")
        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        manifest = archive.read("MANIFEST.txt").decode()
        return sorted(archive.namelist()), manifest

    ind_names, ind_manifest = names(ind)
    assert len(ind_names) == 2 and "MANIFEST.txt" in ind_names
    assert "Open draft" in ind_manifest and "ICT paper" not in ind_manifest
    chn_names, chn_manifest = names(chn)  # China sits in the ICT group
    assert len(chn_names) == 3 and "ICT paper" in chn_manifest
    assert "Secretariat only note" not in chn_manifest
    body = zipfile.ZipFile(
        io.BytesIO(ind.get(f"{swg_meeting.get_absolute_url()}documents.zip").content)
    )
    stored = next(n for n in body.namelist() if n.startswith("01-"))
    assert body.read(stored) == b"Open draft text."


def test_the_convening_note_is_linked_by_its_reference(swg_meeting, forum, client_for):
    from secretariat.communications import actions as notes
    from secretariat.communications.models import NoteKind, Series
    from secretariat.communications.seed import seed_house_style

    seed_house_style()
    officer = forum["secretariat"]
    note = notes.do_create_note(
        kind=NoteKind.CIRCULAR,
        series=Series.objects.get(code="SWG/OI"),
        editions=[notes.EditionText("en", "Convening the SWG", "convene the SWG on 3 June 2030.")],
        actor=officer,
    )
    url = f"{swg_meeting.get_absolute_url()}convening-note/"
    # a draft note cannot convene anything
    client_for("secretariat").post(url, {"reference": "SWG/OI/1262"})
    swg_meeting.refresh_from_db()
    assert swg_meeting.convening_note is None
    notes.do_approve_note(note, actor=None)
    note = notes.do_issue_note(note, actor=officer)
    assert client_for("chn").post(url, {"reference": note.reference}).status_code == 403
    client_for("secretariat").post(url, {"reference": note.reference})
    swg_meeting.refresh_from_db()
    assert swg_meeting.convening_note == note
    assert swg_meeting.status == "convened" and swg_meeting.sequence == 1
    page = client_for("chn").get(swg_meeting.get_absolute_url()).content.decode()
    assert note.reference in page
