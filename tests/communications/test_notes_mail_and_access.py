"""Distribution: one email per recipient through a real SMTP server on loopback, in the
recipient's language, with the reference in the subject; a note to a body leaks to nobody."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def sink(settings) -> Iterator:
    from secretariat.outbox.sink import smtp_sink

    with smtp_sink() as server:
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_TIMEOUT = 5
        yield server


def _by_address(received) -> dict:
    out: dict = {}
    for item in received:
        for rcpt in item.rcpt_tos:
            out.setdefault(rcpt, []).append(item.message)
    return out


def test_a_circular_reaches_each_delegate_once_in_their_language(
    make_note, forum, sink, client_for
):
    from secretariat.outbox.sending import send_due

    rus = forum["rus"]
    rus.language = "ru"
    rus.save()
    note = make_note(issue=True, languages=("en", "ru", "kk"))
    assert note.emails_queued == 4  # ind, chn, rus, isr: the delegates of member states
    report = send_due()
    assert report.sent == 4
    mails = _by_address(sink.wait_for(4))
    assert sorted(mails) == sorted(
        f"{u}@demo.secretariat.test" for u in ("ind", "chn", "rus", "isr")
    )
    assert all(len(m) == 1 for m in mails.values())
    english = mails["ind@demo.secretariat.test"][0]
    russian = mails["rus@demo.secretariat.test"][0]
    assert english["Subject"].strip() == f"Note {note.reference}: SWG recommendations"
    assert russian["Subject"].strip() == f"Нота {note.reference}: Рекомендации СРГ"
    assert russian["Content-Language"] == "ru"
    assert "Секретариат выпустил ноту" in russian.get_body(("plain",)).get_content()
    pdfs = [p for p in english.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF-")
    assert "List-Unsubscribe" not in english  # official mail
    # Sending again sends nothing more; the receipts show the emails as sent.
    assert send_due().sent == 0
    from secretariat.communications.views import _email_status_by_delegation

    assert set(_email_status_by_delegation(note).values()) == {"sent"}
    import re

    page = client_for("secretariat").get(f"/notes/{note.pk}/").content.decode()
    row = re.search(r'<tr data-code="IND">(.*?)</tr>', page, re.S).group(1)
    assert "<td>sent</td>" in row


ICT_SUBJECT = "Confidential ICT-WG matter"


@pytest.fixture
def ict_note(forum, house_style):
    from secretariat.accounts.models import Body
    from secretariat.communications import actions
    from secretariat.communications.models import NoteKind, Series

    note = actions.do_create_note(
        kind=NoteKind.TO_BODY,
        series=Series.objects.get(code="NV"),
        editions=[actions.EditionText("en", ICT_SUBJECT, "forward the ICT non-paper.")],
        body=Body.objects.get(code="ICT-WG"),
        actor=forum["secretariat"],
    )
    actions.do_approve_note(note, actor=forum["secretariat"])
    return actions.do_issue_note(note, actor=forum["secretariat"])


def test_a_body_note_is_invisible_to_outsiders_everywhere(ict_note, client_for, sink):
    from secretariat.communications.access import visible_notes
    from secretariat.communications.models import Note
    from secretariat.outbox.sending import send_due

    rendered = " ".join(ict_note.editions.get().rendered.split())
    assert "compliments to the Member States of the ICT Security Working Group" in rendered
    assert sorted(ict_note.recipients.values_list("delegation__code", flat=True)) == [
        "CHN",
        "IRAN",
        "KAZ",
        "RUS",
        "THA",
    ]
    for outsider in ("ind", "isr", "observer"):
        client = client_for(outsider)
        page = client.get("/notes/")
        assert page.status_code == 200
        assert ICT_SUBJECT not in page.content.decode()
        assert "0 notes" in page.content.decode()
        assert client.get(f"/notes/{ict_note.pk}/").status_code == 404
        assert client.get(f"/notes/{ict_note.pk}/pdf/").status_code == 404
        assert (
            client.get(f"/notes/?series=NV&year={ict_note.issued_on.year}")
            .content.decode()
            .count(ICT_SUBJECT)
            == 0
        )
        assert client.post(f"/notes/{ict_note.pk}/acknowledge/").status_code == 404
        search = client.get("/notes/?q=Confidential").content.decode()
        assert ICT_SUBJECT not in search and "0 notes" in search
        assert "0 notes" in client.get("/notes/?q=ICT+non-paper").content.decode()
    from secretariat.accounts.models import User

    assert not visible_notes(User.objects.get(username="ind")).exists()
    assert visible_notes(None).count() == 0
    feed = client_for(None).get("/notes/public/feed.atom").content.decode()
    assert ICT_SUBJECT not in feed
    # Members see it.
    member = client_for("chn")
    assert ICT_SUBJECT in member.get("/notes/").content.decode()
    assert "1 note" in member.get("/notes/?q=ICT+non-paper").content.decode()
    assert member.get(f"/notes/{ict_note.pk}/").status_code == 200
    # Mail: only the members' users get it; nothing of it reaches an outsider.
    send_due()
    received = sink.wait_for(2)
    addresses = sorted(r for item in received for r in item.rcpt_tos)
    assert addresses == ["chn@demo.secretariat.test", "rus@demo.secretariat.test"]
    assert all(
        ICT_SUBJECT.encode() not in item.data
        for item in received
        if {"ind@demo.secretariat.test", "isr@demo.secretariat.test"} & set(item.rcpt_tos)
    )
    assert Note.objects.get(pk=ict_note.pk).status == "issued"


def test_a_reader_may_not_handle_a_note(ict_note, client_for, make_note):
    member = client_for("chn")
    assert member.post(f"/notes/{ict_note.pk}/issue/").status_code == 403
    assert member.get("/notes/new/").status_code == 403
    draft = make_note(approve=False)
    # A draft is the secretariat's: others do not know it exists.
    assert member.get(f"/notes/{draft.pk}/").status_code == 404
    assert client_for("ind").get(f"/notes/{draft.pk}/edit/").status_code == 404


def test_notes_to_chosen_delegations_reach_only_them(make_note, client_for):
    note = make_note(kind="to_delegations", codes=("IND", "PAL"), issue=True)
    assert client_for("ind").get(f"/notes/{note.pk}/").status_code == 200
    assert client_for("chn").get(f"/notes/{note.pk}/").status_code == 404
    assert client_for("chair").get(f"/notes/{note.pk}/").status_code == 404
    assert "1 note" in client_for("ind").get("/notes/").content.decode()
    assert "0 notes" in client_for("chn").get("/notes/").content.decode()


def test_receipts_opened_and_acknowledged(make_note, client_for, forum):
    from secretariat.core.models import AuditEvent

    note = make_note(issue=True)
    ind = client_for("ind")
    assert ind.get(f"/notes/{note.pk}/").status_code == 200
    receipt = note.recipients.get(delegation__code="IND")
    assert receipt.opened_by == forum["ind"] and receipt.acknowledged_at is None
    first_open = receipt.opened_at
    ind.get(f"/notes/{note.pk}/")
    receipt.refresh_from_db()
    assert receipt.opened_at == first_open
    assert ind.post(f"/notes/{note.pk}/acknowledge/").status_code == 302
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == forum["ind"]
    assert AuditEvent.objects.filter(action="note.acknowledge", object_id=str(note.pk)).count() == 1
    page = client_for("secretariat").get(f"/notes/{note.pk}/").content.decode()
    assert 'data-code="IND"' in page


def test_a_restricted_enclosure_title_is_shown_only_to_who_may_see_it(
    make_note, add_document, forum, client_for, sink
):
    from secretariat.accounts.models import Body
    from secretariat.communications import actions
    from secretariat.outbox.sending import send_due

    secret = add_document(
        "The ICT-WG non-paper.\n\nSecond.",
        title="Secret ICT paper",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
    )
    note = make_note(approve=False)
    actions.do_add_enclosure(note, secret.current_version, actor=forum["secretariat"])
    actions.do_approve_note(note, actor=forum["secretariat"])
    note = actions.do_issue_note(note, actor=forum["secretariat"])
    assert "Secret ICT paper" not in client_for("ind").get(f"/notes/{note.pk}/").content.decode()
    assert "Secret ICT paper" in client_for("chn").get(f"/notes/{note.pk}/").content.decode()
    send_due()
    mails = _by_address(sink.wait_for(4))
    assert (
        "Secret ICT paper"
        in mails["chn@demo.secretariat.test"][0].get_body(("plain",)).get_content()
    )
    assert (
        "Secret ICT paper"
        not in mails["ind@demo.secretariat.test"][0].get_body(("plain",)).get_content()
    )
    assert "Notes: recently issued" in client_for("ind").get("/").content.decode()
