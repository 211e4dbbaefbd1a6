"""Files kept for a confirm step (the same file is in the library, or the new version shares
few words with the current one) do not outlive it: they go on confirm, on cancel, and with the
worker's sweep of kept files nobody came back for. A live confirm still works, and the library
file a duplicate matched is never touched."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from secretariat.documents import files, pending
from secretariat.documents.models import Document

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
PLAN = (
    "1. The Member States reaffirm their commitment to the Conference.\n\n"
    "2. They agree to strengthen cooperation on confidence-building measures.\n"
)
MENU = "1. Lunch is served at noon in the main hall.\n\n2. Coffee is served all afternoon.\n"


def _token(html: str) -> str:
    match = re.search(r'name="pending" value="([^"]+)"', html)
    assert match, "the kept file's token is in the form"
    return match.group(1)


def _kept_name(token: str, user) -> str:
    value = pending._unsigned(token, user)
    assert value is not None
    return value["name"]


def test_a_confirmed_duplicate_leaves_no_kept_file_and_keeps_the_library_file(
    add_document, client_for, forum, django_capture_on_commit_callbacks
) -> None:
    first = add_document(CIRCULAR, filename="circular.txt", title="Circular 1/2026")
    library_file = files.storage_name(first.current_version.sha256)
    client = client_for("secretariat")
    html = client.post(
        reverse("documents:new"),
        {**FORM, "file": SimpleUploadedFile("copy.txt", CIRCULAR.encode())},
    ).content.decode()
    token = _token(html)
    kept = _kept_name(token, forum["secretariat"])
    assert default_storage.exists(kept)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:new"), {**FORM, "pending": token, "confirm": "1"})
    assert response.status_code == 302
    again = Document.objects.get(title="Circular again")
    assert again.current_version.sha256 == first.current_version.sha256  # the live confirm
    assert not default_storage.exists(kept)
    assert default_storage.exists(library_file)
    with default_storage.open(library_file, "rb") as handle:
        assert handle.read() == CIRCULAR.encode()


def test_cancel_removes_the_kept_file_and_the_token_names_nothing_after(
    add_document, client_for, forum
) -> None:
    document = add_document(PLAN, title="Plan")
    client = client_for("secretariat")
    html = client.post(
        reverse("documents:upload-version", args=[document.pk]),
        {"file": SimpleUploadedFile("menu.txt", MENU.encode()), "comment": "v2"},
    ).content.decode()
    assert "documents/pending/discard/" in html  # Cancel posts there
    token = _token(html)
    kept = _kept_name(token, forum["secretariat"])
    assert default_storage.exists(kept)
    # Another user's cancel removes nothing.
    client_for("chair").post(reverse("documents:discard-pending"), {"pending": token})
    assert default_storage.exists(kept)
    response = client.post(
        reverse("documents:discard-pending"),
        {"pending": token, "next": document.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert not default_storage.exists(kept)
    # An outside address is not followed.
    response = client.post(
        reverse("documents:discard-pending"), {"pending": token, "next": "https://example.org/"}
    )
    assert response["Location"] == reverse("documents:list")
    response = client.post(
        reverse("documents:upload-version", args=[document.pk]),
        {"pending": token, "comment": "v2", "confirm": "1"},
    )
    assert document.versions.count() == 1


def test_the_cancel_button_of_a_duplicate_registration_removes_the_kept_file(
    add_document, client_for, forum
) -> None:
    add_document(CIRCULAR, title="Circular 1/2026")
    client = client_for("secretariat")
    html = client.post(
        reverse("documents:new"),
        {**FORM, "file": SimpleUploadedFile("copy.txt", CIRCULAR.encode())},
    ).content.decode()
    assert 'formaction="/documents/pending/discard/"' in html
    token = _token(html)
    kept = _kept_name(token, forum["secretariat"])
    client.post(reverse("documents:discard-pending"), {"pending": token})
    assert not default_storage.exists(kept)


def test_the_worker_sweeps_kept_files_older_than_a_day(
    add_document, client_for, forum, run_tasks
) -> None:
    document = add_document(PLAN, title="Plan")
    client = client_for("secretariat")

    def keep() -> str:
        html = client.post(
            reverse("documents:upload-version", args=[document.pk]),
            {"file": SimpleUploadedFile("menu.txt", MENU.encode()), "comment": "v2"},
        ).content.decode()
        return _token(html)

    old_token, fresh_token = keep(), keep()
    old = _kept_name(old_token, forum["secretariat"])
    fresh = _kept_name(fresh_token, forum["secretariat"])
    two_days_ago = (timezone.now() - timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    run_tasks()  # the real worker command: its maintenance runs the housekeeping
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh)
    # The fresh one is still a live confirm.
    response = client.post(
        reverse("documents:upload-version", args=[document.pk]),
        {"pending": fresh_token, "comment": "v2", "confirm": "1"},
    )
    assert response.status_code == 302
    assert document.versions.count() == 2
    document.refresh_from_db()
    assert document.current_version.filename == "menu.txt"
