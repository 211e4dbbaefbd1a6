"""Registration, the order of precedence on the demo register, the DOCX list, the speakers'
list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from secretariat.meetings import actions, participants
from secretariat.meetings.models import Meeting, SpeakerRequest


@pytest.fixture
def demo_swg(forum):
    from secretariat.meetings import demo

    demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())  # idempotent
    assert Meeting.objects.filter(title=demo.SWG_TITLE).count() == 1
    return Meeting.objects.get(title=demo.SWG_TITLE)


def _codes(meeting, language):
    return [b.code for b in participants.ordered_list(meeting, language)]


def _set(meeting, **values):
    Meeting.objects.filter(pk=meeting.pk).update(**values)
    meeting.refresh_from_db()


def test_lot_order_is_one_order_for_every_language(demo_swg):
    from secretariat.accounts.models import Delegation

    # English alphabetical order from India, drawn by lot; the Chairmanship first,
    # the secretariat last; the same order in the Russian list.
    expected = ["CHAIR", "IND", "ISR", "RUS", "THA", "VIE", "AZE", "CHN", ""]
    assert _codes(demo_swg, "en") == expected
    assert _codes(demo_swg, "ru") == expected
    _set(demo_swg, lot_start=Delegation.objects.get(code="RUS"))
    assert _codes(demo_swg, "en") == ["CHAIR", "RUS", "THA", "VIE", "AZE", "CHN", "IND", "ISR", ""]


def test_alphabet_order_is_each_language_in_its_own_alphabet(demo_swg):
    _set(demo_swg, precedence="alphabet")
    assert _codes(demo_swg, "en") == ["CHAIR", "AZE", "CHN", "IND", "ISR", "RUS", "THA", "VIE", ""]
    # Азербайджан, Вьетнам, Израиль, Индия, Китай, Россия, Таиланд
    assert _codes(demo_swg, "ru") == ["CHAIR", "AZE", "VIE", "ISR", "IND", "CHN", "RUS", "THA", ""]
    names = [b.name for b in participants.ordered_list(demo_swg, "ru")]
    assert names[1:3] == ["Азербайджан", "Вьетнам"] and names[-1] == "Секретариат"


def test_the_host_follows_the_chairmanship(demo_swg):
    from secretariat.accounts.models import Delegation

    _set(demo_swg, precedence="alphabet", host=Delegation.objects.get(code="THA"))
    assert _codes(demo_swg, "en")[:3] == ["CHAIR", "THA", "AZE"]


def test_within_a_delegation_the_head_first_then_by_rank(demo_swg, forum):
    from secretariat.accounts.models import Delegation

    actions.do_register_participant(
        demo_swg,
        Delegation.objects.get(code="RUS"),
        actions.ParticipantFields(name="Pavel Orlov", rank=2),
        actor=forum["rus"],
    )
    russia = next(b for b in participants.ordered_list(demo_swg, "en") if b.code == "RUS")
    assert [p.name for p in russia.participants] == ["Ivan Petrov", "Pavel Orlov", "Anna Sokolova"]


def test_the_list_downloads_as_docx_in_order(demo_swg, client_for):
    from docx import Document

    response = client_for("chn").get(f"/meetings/{demo_swg.pk}/participants.docx?lang=ru")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == ["Председательство", "Индия", "Израиль"]
    assert any("Ivan Petrov" in p.text for p in doc.paragraphs)
    page = client_for("chn").get(f"/meetings/{demo_swg.pk}/seating/").content.decode()
    assert page.index(">IND<") < page.index(">CHN<")


def test_a_delegate_registers_uploads_accreditation_and_the_secretariat_approves(
    swg_meeting, forum, client_for
):
    ind = client_for("ind")
    url = swg_meeting.get_absolute_url()
    response = ind.post(
        f"{url}registration/participant/",
        {
            "name": "Priya Raman",
            "honorific": "Ms",
            "function": "Joint Secretary",
            "rank": 1,
            "is_head": "on",
            "arrives_on": "2030-06-02",
            "departs_on": "2030-06-05",
        },
    )
    assert response.status_code == 302
    person = swg_meeting.participants.get()
    assert person.delegation.code == "IND" and person.is_head and not person.late
    # a second head is refused
    ind.post(f"{url}registration/participant/", {"name": "Other", "rank": 2, "is_head": "on"})
    assert swg_meeting.participants.count() == 1
    # a file the library refuses is refused here too
    bad = SimpleUploadedFile("note.bin", b"\x00\x01\x02binary")
    ind.post(f"{url}registration/accreditation/", {"note": bad})
    assert not swg_meeting.accreditations.exists()
    note = SimpleUploadedFile("note.txt", b"The Embassy of India presents its compliments")
    creds = SimpleUploadedFile("credentials.txt", b"Credentials signed by the Minister")
    ind.post(f"{url}registration/accreditation/", {"note": note, "credentials": creds})
    accreditation = swg_meeting.accreditations.get()
    assert accreditation.note_filename == "note.txt"
    assert accreditation.credentials_filename == "credentials.txt"
    assert accreditation.note_sha256 != accreditation.credentials_sha256
    # the delegate may not approve its own
    assert ind.post(f"{url}registration/{accreditation.pk}/approve/").status_code == 403
    officer = client_for("secretariat")
    assert officer.get(f"{url}registration/").status_code == 200
    officer.post(f"{url}registration/{accreditation.pk}/approve/")
    officer.post(f"{url}registration/{accreditation.pk}/originals/")
    accreditation.refresh_from_db()
    assert accreditation.approved_by == forum["secretariat"]
    assert accreditation.originals_seen_at is not None
    # an outsider of the list (observer) and a delegation outside the body cannot register
    assert client_for("observer").get(f"{url}registration/").status_code == 404


def test_entries_after_the_deadline_are_flagged_late(swg_meeting, forum, client_for):
    _set(swg_meeting, registration_deadline=timezone.now() - timedelta(hours=1))
    chn = client_for("chn")
    page = chn.get(f"{swg_meeting.get_absolute_url()}registration/").content.decode()
    assert "deadline has passed" in page
    chn.post(
        f"{swg_meeting.get_absolute_url()}registration/participant/", {"name": "Li Wei", "rank": 1}
    )
    assert swg_meeting.participants.get().late


def test_the_speakers_list(swg_meeting, forum, client_for):
    item = swg_meeting.items.get(title="Draft Astana Statement")
    base = item.get_absolute_url()
    for user in ("chn", "rus", "ind", "chn"):
        assert client_for(user).post(f"{base}floor/").status_code == 302
    waiting = list(item.speakers.order_by("position"))
    assert [s.delegation.code for s in waiting] == [
        "CHN",
        "RUS",
        "IND",
    ]  # asking twice keeps the place
    assert client_for("observer").post(f"{base}floor/").status_code == 404
    assert (
        client_for("chn")
        .post(f"{base}speaker/", {"speaker": waiting[2].pk, "action": "up"})
        .status_code
        == 403
    )
    officer = client_for("secretariat")
    officer.post(f"{base}speaker/", {"speaker": waiting[2].pk, "action": "up"})
    officer.post(f"{base}speaker/", {"speaker": waiting[0].pk, "action": "call"})
    officer.post(f"{base}time/", {"minutes": 5})
    states = {s.delegation.code: (s.status, s.minutes) for s in item.speakers.all()}
    assert states["CHN"][0] == SpeakerRequest.Status.CALLED
    order = [s.delegation.code for s in item.speakers.filter(status="waiting").order_by("position")]
    assert order == ["IND", "RUS"]
    assert states["IND"][1] == 5
    html = client_for("ind").get(base).content.decode()
    assert html.index("India") < html.index("Russia")


def test_item_panels_hook_shows_on_the_review_item(swg_meeting, forum, client_for):
    from django.utils.html import format_html

    from secretariat.meetings import hooks

    item = actions.do_add_item(
        swg_meeting, title="Review", kind="review", actor=forum["secretariat"]
    )
    actions.do_publish_agenda(swg_meeting, "revised", actor=forum["secretariat"])

    def panel(agenda_item, user):
        if agenda_item.kind != "review":
            return ""
        return format_html("<p id='mandates'>Mandates due for {}</p>", user.username)

    hooks.item_panels.append(panel)
    try:
        html = client_for("chn").get(item.get_absolute_url()).content.decode()
        other = swg_meeting.items.get(title="Opening of the meeting")
        plain = client_for("chn").get(other.get_absolute_url()).content.decode()
    finally:
        hooks.item_panels.remove(panel)
    assert "<p id='mandates'>Mandates due for chn</p>" in html
    assert "mandates" not in plain


def test_statements_reach_the_audience_the_delegation_chose(swg_meeting, forum, client_for):
    item = swg_meeting.items.get(title="Draft Astana Statement")
    base = item.get_absolute_url()
    rus = client_for("rus")
    rus.post(f"{rus_reg(swg_meeting)}", {"name": "Ivan Petrov", "rank": 1})
    rus.post(
        f"{base}statement/",
        {
            "title": "For participants ONLYP",
            "text": "Russia supports OP2.",
            "audience": "participants",
        },
    )
    rus.post(
        f"{base}statement/",
        {"title": "For everyone EVERYW", "text": "Russia thanks the Chair.", "audience": "meeting"},
    )
    assert item.statements.count() == 2
    # China has registered nobody: it reads only what is for everyone who sees the meeting
    chn = client_for("chn").get(base).content.decode()
    assert "EVERYW" in chn and "ONLYP" not in chn
    client_for("chn").post(rus_reg(swg_meeting), {"name": "Li Wei", "rank": 1})
    assert "ONLYP" in client_for("chn").get(base).content.decode()
    assert "ONLYP" in client_for("secretariat").get(base).content.decode()
    assert (
        client_for("observer").post(f"{base}statement/", {"title": "x", "text": "y"}).status_code
        == 404
    )
    assert item.statements.filter(delegation__code="RUS").count() == 2  # the observer filed nothing


def rus_reg(meeting):
    return f"{meeting.get_absolute_url()}registration/participant/"


def test_the_list_downloads_as_pdf_in_russian_order(demo_swg, client_for):
    from pypdf import PdfReader

    _set(demo_swg, precedence="alphabet")
    response = client_for("chn").get(f"/meetings/{demo_swg.pk}/participants.pdf?lang=ru")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Список участников" in text
    order = [text.index(n) for n in ("Председательство", "Азербайджан", "Вьетнам", "Израиль")]
    assert order == sorted(order)
    assert client_for("ind").get(f"/meetings/{demo_swg.pk}/participants.pdf").status_code == 200
    assert (
        client_for("observer").get(f"/meetings/{demo_swg.pk}/participants.pdf").status_code == 404
    )
