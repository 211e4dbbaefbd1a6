"""Before a file is saved: the same bytes already in the library are shown (to those who may
see them) and must be confirmed; a "new version" sharing few words with the document is
shown with a similarity figure and a diff and must be confirmed."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from secretariat.documents.models import Document, Version

pytestmark = pytest.mark.django_db

CIRCULAR = (
    "1. The Secretariat presents its compliments to the Member States.\n\n"
    "2. It informs them of the meeting.\n"
)
FORM = {
    "title": "Circular again",
    "organization": "CICA",
    "doc_type": "other",
    "status": "draft",
    "language": "en",
    "access_level": "members",
}


def _pending(html: str) -> str:
    match = re.search(r'name="pending" value="([^"]+)"', html)
    assert match, "the kept file's token is in the form"
    return match.group(1)


def test_the_same_file_twice_is_shown_and_saved_only_once_confirmed(
    add_document, client_for
) -> None:
    first = add_document(CIRCULAR, filename="circular.txt", title="Circular 1/2026")
    client = client_for("secretariat")
    before = Document.objects.count()
    response = client.post(
        reverse("documents:new"),
        {**FORM, "file": SimpleUploadedFile("copy.txt", CIRCULAR.encode())},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This file is already in the library" in html
    assert first.get_absolute_url() in html and "Circular 1/2026" in html
    assert Document.objects.count() == before  # nothing saved yet

    # Confirmed, without choosing the file again: the kept file is registered.
    response = client.post(
        reverse("documents:new"), {**FORM, "pending": _pending(html), "confirm": "1"}
    )
    assert response.status_code == 302
    assert Document.objects.count() == before + 1
    again = Document.objects.get(title="Circular again")
    assert again.current_version.sha256 == first.current_version.sha256
    assert again.current_version.filename == "copy.txt"


def test_a_restricted_match_is_never_revealed(add_document, client_for, forum) -> None:
    add_document(CIRCULAR, title="Secret circular", access_level="secretariat")
    client = client_for("chair")  # may register documents, may not see secretariat-only ones
    response = client.post(
        reverse("documents:new"),
        {**FORM, "file": SimpleUploadedFile("copy.txt", CIRCULAR.encode())},
    )
    assert response.status_code == 302  # registered at once: no warning, nothing said
    assert Document.objects.filter(title="Circular again").exists()


def test_a_token_of_another_user_names_no_file(add_document, client_for) -> None:
    add_document(CIRCULAR, title="Circular 1/2026")
    response = client_for("secretariat").post(
        reverse("documents:new"),
        {**FORM, "file": SimpleUploadedFile("copy.txt", CIRCULAR.encode())},
    )
    token = _pending(response.content.decode())
    before = Document.objects.count()
    response = client_for("chair").post(
        reverse("documents:new"), {**FORM, "pending": token, "confirm": "1"}
    )
    assert response.status_code == 400
    assert Document.objects.count() == before


PLAN = (
    "1. The Member States reaffirm their commitment to the Conference.\n\n"
    "2. They agree to strengthen cooperation on confidence-building measures.\n\n"
    "3. They welcome the work of the Special Working Group.\n"
)
PLAN_V2 = PLAN.replace("strengthen", "deepen")
MENU = (
    "1. Lunch is served at noon in the main hall.\n\n"
    "2. Coffee and tea are available all afternoon.\n"
)


def test_a_similar_new_version_is_saved_at_once(add_document, client_for) -> None:
    document = add_document(PLAN, title="Plan")
    response = client_for("secretariat").post(
        reverse("documents:upload-version", args=[document.pk]),
        {"file": SimpleUploadedFile("plan2.txt", PLAN_V2.encode()), "comment": "One word"},
    )
    assert response.status_code == 302
    assert document.versions.count() == 2


def test_a_wholly_different_version_is_shown_with_its_similarity_and_diff(
    add_document, client_for
) -> None:
    document = add_document(PLAN, title="Plan")
    client = client_for("secretariat")
    response = client.post(
        reverse("documents:upload-version", args=[document.pk]),
        {"file": SimpleUploadedFile("menu.txt", MENU.encode()), "comment": "Version 2"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This text differs from the current version" in html
    figure = int(re.search(r"Only (\d+)% of the words", html).group(1))
    assert figure < 50
    assert re.search(r"<del>.*They welcome the work of the Special Working Group", html, re.S)
    assert re.search(r"<ins>.*Lunch is served at noon", html, re.S)
    assert Version.objects.filter(document=document).count() == 1  # not saved yet

    response = client.post(
        reverse("documents:upload-version", args=[document.pk]),
        {"pending": _pending(html), "comment": "Version 2", "confirm": "1"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.versions.count() == 2
    assert document.current_version.filename == "menu.txt"
    assert document.current_version.comment == "Version 2"


def test_a_version_holding_another_documents_file_is_shown(add_document, client_for) -> None:
    other = add_document(MENU, title="Lunch menu")
    document = add_document(PLAN, title="Plan")
    response = client_for("secretariat").post(
        reverse("documents:upload-version", args=[document.pk]),
        {"file": SimpleUploadedFile("menu.txt", MENU.encode()), "comment": "v2"},
    )
    html = response.content.decode()
    assert "This file is already in the library" in html
    assert other.get_absolute_url() in html
    assert document.versions.count() == 1
