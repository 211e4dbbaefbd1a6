"""A delegation registers its own papers (non-papers, proposals) to a body it sits in, marked
as submitted by it; to any other body it is refused in the action layer."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.accounts.models import Body
from secretariat.documents import actions
from secretariat.documents.models import Document

pytestmark = pytest.mark.django_db

PAPER = "1. India proposes a workshop on confidence-building measures in 2027.\n"


def _form(body: Body, **extra: str) -> dict:
    return {
        "file": SimpleUploadedFile("non-paper.txt", PAPER.encode()),
        "title": "Non-paper on a CBM workshop",
        "organization": "CICA",
        "doc_type": "non_paper",
        "status": "draft",
        "language": "en",
        "access_level": "body",
        "body": str(body.pk),
        **extra,
    }


def test_a_delegate_submits_a_non_paper_to_a_body_of_its_delegation(forum, client_for) -> None:
    client = client_for("ind")
    page = client.get(reverse("documents:list")).content.decode()
    assert reverse("documents:new") in page  # offered "Register a document"
    swg = Body.objects.get(code="SWG")
    response = client.post(reverse("documents:new"), _form(swg))
    assert response.status_code == 302
    document = Document.objects.get(title="Non-paper on a CBM workshop")
    assert document.submitted_by.code == "IND"
    assert document.body == swg and document.status == "draft"
    html = client_for("chn").get(document.get_absolute_url()).content.decode()
    assert "submitted by India" in html


def test_a_body_the_delegation_is_not_in_is_refused(forum, client_for) -> None:
    ict = Body.objects.get(code="ICT-WG")  # IND does not sit in it
    response = client_for("ind").post(reverse("documents:new"), _form(ict))
    assert response.status_code == 400  # not offered by the form
    upload = actions.read_upload(PAPER.encode(), "non-paper.txt")
    for level in ("body", "members"):
        with pytest.raises(PermissionDenied):
            actions.do_create_document(
                upload,
                title="Sneaked",
                organization="CICA",
                doc_type="non_paper",
                access_level=level,
                body=ict,
                actor=forum["ind"],
            )
    with pytest.raises(PermissionDenied):  # a delegation registers no adopted text
        actions.do_create_document(
            upload,
            title="Sneaked",
            organization="CICA",
            doc_type="declaration",
            status="adopted",
            access_level="body",
            body=Body.objects.get(code="SWG"),
            actor=forum["ind"],
        )
    assert not Document.objects.exists()


def test_observers_register_nothing(forum, client_for) -> None:
    assert client_for("observer").get(reverse("documents:new")).status_code == 403


def test_a_delegation_that_left_the_body_adds_no_version_to_its_paper(forum, client_for) -> None:
    swg = Body.objects.get(code="SWG")
    assert client_for("ind").post(reverse("documents:new"), _form(swg)).status_code == 302
    document = Document.objects.get(title="Non-paper on a CBM workshop")
    swg.members.remove(forum["ind"].delegation)
    upload = actions.read_upload(b"1. A second text of the proposal.\n", "v2.txt")
    with pytest.raises(PermissionDenied):
        actions.do_add_version(document, upload, comment="", actor=forum["ind"])
    assert document.versions.count() == 1
