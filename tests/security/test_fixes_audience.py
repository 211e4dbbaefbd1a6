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


def _register(client, level: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/documents/new/",
        {
            "file": SimpleUploadedFile("note.txt", b"A note on the agenda."),
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
    assert r.status_code in (200, 400)
    assert "Agenda note" in r.content.decode()
    assert not Document.objects.exists()
    assert _register(chair, "members").status_code == 302
    assert _register(client_for("secretariat"), "secretariat").status_code == 302
