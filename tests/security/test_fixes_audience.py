"""Issue 9, part A, item 7: a poster is offered, and may choose, only audiences they can read
themselves: a delegate cannot post a notice into a body it is not in (nor at secretariat
level) nor move one there, and the chair cannot register a secretariat-only document."""

from __future__ import annotations

import pytest

from secretariat.accounts.models import Body
from secretariat.documents.models import Document
from secretariat.notices.models import Notice

pytestmark = pytest.mark.django_db


def _notice(**extra: object) -> dict[str, object]:
    return {"title": "Side event", "text": "Room 3 at noon.", **extra}


def test_a_delegate_is_offered_only_audiences_it_can_read(forum, client_for):
    page = client_for("isr").get("/notices/new/").content.decode()
    assert 'value="members"' in page and 'value="secretariat"' not in page
    ict = Body.objects.get(code="ICT-WG")
    assert f'value="{ict.pk}"' not in page  # ISR does not sit in the ICT working group
    swg = Body.objects.get(code="SWG")
    assert f'value="{swg.pk}"' in page


@pytest.mark.parametrize(
    "audience",
    [{"access_level": "secretariat"}, {"access_level": "body", "body": "ICT-WG"}],
    ids=["secretariat", "other-body"],
)
def test_a_delegate_cannot_post_where_it_could_not_read(forum, client_for, audience):
    data = dict(audience)
    if "body" in data:
        data["body"] = str(Body.objects.get(code=data["body"]).pk)
    r = client_for("isr").post("/notices/new/", _notice(**data))
    assert r.status_code == 400
    assert "Side event" in r.content.decode()  # the form is kept
    assert not Notice.objects.exists()


def test_an_author_cannot_move_a_notice_into_a_body_it_is_not_in(forum, client_for):
    isr = client_for("isr")
    swg = Body.objects.get(code="SWG")
    r = isr.post("/notices/new/", _notice(access_level="body", body=str(swg.pk)))
    assert r.status_code == 302
    notice = Notice.objects.get()
    assert isr.get(f"/notices/{notice.pk}/").status_code == 200
    ict = Body.objects.get(code="ICT-WG")
    r = isr.post(f"/notices/{notice.pk}/edit/", _notice(access_level="body", body=str(ict.pk)))
    assert r.status_code == 400
    notice.refresh_from_db()
    assert notice.body_id == swg.pk and notice.revisions.count() == 1
    assert isr.get(f"/notices/{notice.pk}/").status_code == 200


def test_the_secretariat_may_still_post_at_any_level(forum, client_for):
    r = client_for("secretariat").post("/notices/new/", _notice(access_level="secretariat"))
    assert r.status_code == 302
    assert Notice.objects.get().access_level == "secretariat"


def _register(client, level: str, text: bytes = b"A note on the agenda."):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/documents/new/",
        {
            "file": SimpleUploadedFile("note.txt", text),
            "title": "Agenda note",
            "doc_type": "report",
            "status": "draft",
            "organization": "CICA",
            "language": "en",
            "access_level": level,
        },
    )


def test_the_chair_cannot_register_a_secretariat_only_document(forum, client_for):
    chair = client_for("chair")
    assert 'value="secretariat"' not in chair.get("/documents/new/").content.decode()
    r = _register(chair, "secretariat")
    assert r.status_code == 400
    assert "Agenda note" in r.content.decode()
    assert not Document.objects.exists()
    assert _register(chair, "members").status_code == 302
    # (another text: the same file again would be shown as a duplicate first)
    assert _register(client_for("secretariat"), "secretariat", b"Another note.").status_code == 302


# --- the same rule in the action layer: a direct call with a wider audience is refused -------
def test_the_notice_actions_refuse_an_audience_the_author_could_not_read(forum):
    from django.core.exceptions import PermissionDenied

    from secretariat.core.models import AuditEvent
    from secretariat.notices.actions import do_edit_notice, do_post_notice

    ict, swg = Body.objects.get(code="ICT-WG"), Body.objects.get(code="SWG")
    for level, body in (("secretariat", None), ("body", ict), ("body", None)):
        with pytest.raises(PermissionDenied):
            do_post_notice(
                title="Side event", text="x", access_level=level, body=body, actor=forum["isr"]
            )
    with pytest.raises(PermissionDenied):  # observers read, they do not post
        do_post_notice(
            title="Side event", text="x", access_level="members", body=None,
            actor=forum["observer"],
        )  # fmt: skip
    assert not Notice.objects.exists()
    notice = do_post_notice(
        title="Side event", text="x", access_level="body", body=swg, actor=forum["isr"]
    )
    with pytest.raises(PermissionDenied):
        do_edit_notice(
            notice, title="Side event", text="x", access_level="body", body=ict,
            actor=forum["isr"],
        )  # fmt: skip
    notice.refresh_from_db()
    assert notice.body_id == swg.pk and notice.revisions.count() == 1
    assert not AuditEvent.objects.filter(action="notice.edit").exists()
    # The secretariat may still move it anywhere.
    do_edit_notice(
        notice, title="Side event", text="x", access_level="secretariat", body=None,
        actor=forum["secretariat"],
    )  # fmt: skip
    notice.refresh_from_db()
    assert notice.access_level == "secretariat"


def test_the_document_action_refuses_an_audience_the_registrar_could_not_read(forum):
    from django.core.exceptions import PermissionDenied

    from secretariat.documents import actions

    upload = actions.read_upload(b"A note on the agenda.", "note.txt")
    ict = Body.objects.get(code="ICT-WG")
    with pytest.raises(PermissionDenied):  # the chair cannot read secretariat-only documents
        actions.do_create_document(
            upload, title="Agenda note", organization="CICA", access_level="secretariat",
            actor=forum["chair"],
        )  # fmt: skip
    with pytest.raises(PermissionDenied):  # ISR does not sit in the ICT working group
        actions.do_create_document(
            upload, title="Agenda note", organization="CICA", access_level="body", body=ict,
            actor=forum["isr"],
        )  # fmt: skip
    assert not Document.objects.exists()
    # The system (a task, a command: no actor) and the secretariat are not refused.
    actions.do_create_document(
        upload, title="Agenda note", organization="CICA", access_level="secretariat", actor=None
    )
    actions.do_create_document(
        upload, title="Agenda note", organization="CICA", access_level="body", body=ict,
        actor=forum["secretariat"], language="ru",
    )  # fmt: skip
    assert Document.objects.count() == 2
