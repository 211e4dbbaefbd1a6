"""In a real Chromium: the secretariat builds and publishes an agenda and attaches a document;
a delegate registers a participant with an accreditation note, asks for the floor on an item,
and downloads the list of participants."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_agenda_registration_floor_and_list_download(
    page, live_server, login, make_meeting, add_document, browser_orm, save_screenshot, tmp_path
):
    from docx import Document

    meeting = make_meeting(title="SWG browser meeting")
    add_document("Draft statement text.", filename="draft.txt", title="Draft ICT Statement")
    url = f"{live_server.url}/meetings/{meeting.pk}/"

    login(page, "secretariat")
    page.goto(url)
    for title in ("Opening of the meeting", "Draft ICT Statement"):
        page.fill("#item-form #id_title", title)
        page.fill("#item-form #id_annotation", f"Annotation of {title}.")
        page.click("#item-form button[type=submit]")
        page.wait_for_selector(f"#working-agenda >> text={title}")
    page.select_option("#id_publish-kind", "annotated")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#published-agenda")
    assert "Annotated provisional agenda" in page.locator("#agenda h2").inner_text()
    page.click("#published-agenda >> text=Draft ICT Statement")
    page.select_option("#attach-form #id_document", label="Draft ICT Statement")
    page.select_option("#attach-form #id_status", "advance")
    page.click("#attach-form button[type=submit]")
    page.wait_for_selector("#item-documents >> text=Advance")
    item_url = page.url
    save_screenshot(page, "meetings-item-secretariat")
    with browser_orm():
        assert meeting.items.get(title="Draft ICT Statement").documents.count() == 1

    page.context.clear_cookies()
    login(page, "ind")
    page.goto(url)
    assert "Draft ICT Statement" in page.locator("#documents").inner_text()
    page.click("#registration-link")
    page.fill("#id_name", "Priya Raman")
    page.fill("#id_honorific", "Ms")
    page.fill("#id_function", "Joint Secretary")
    page.fill("#id_rank", "1")
    page.check("#id_is_head")
    page.click("#participant-form button[type=submit]")
    page.wait_for_selector("#my-participants >> text=Priya Raman")
    note = tmp_path / "accreditation.txt"
    note.write_text("The Embassy of India presents its compliments and accredits Ms Raman.")
    page.set_input_files("#id_note", str(note))
    page.click("#accreditation-form button[type=submit]")
    page.wait_for_selector("#accreditation-state")
    assert "accreditation.txt" in page.locator("#accreditation-state").inner_text()

    page.goto(item_url)
    page.click("#floor-form button[type=submit]")
    page.wait_for_selector("#speakers-list >> text=India")
    save_screenshot(page, "meetings-item-delegate")

    page.goto(f"{url}participants/")
    with page.expect_download() as info:
        page.click("#participants-docx")
    path = info.value.path()
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "India" in text and "Ms Priya Raman" in text

    with browser_orm():
        accreditation = meeting.accreditations.get()
        assert accreditation.delegation.code == "IND"
        assert meeting.participants.get().is_head
        assert (
            meeting.items.get(title="Draft ICT Statement").speakers.get().delegation.code == "IND"
        )
