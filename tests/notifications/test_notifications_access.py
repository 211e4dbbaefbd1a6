"""A notification about an object the reader may no longer see is shown nowhere."""

from __future__ import annotations

import re

from secretariat.accounts.models import AccessLevel
from secretariat.documents.models import Document
from secretariat.notifications.actions import notify


def test_lost_access_hides_the_notification_on_the_centre_and_the_dashboard(
    forum, add_document, client_for
) -> None:

    document = add_document("Hidden soon.", title="Soon secret", access_level="members")
    notify(
        [forum["ind"]],
        "documents.new",
        params={"body": "SWG", "title": "Soon secret"},
        url=document.get_absolute_url(),
        target=document,
    )
    ind = client_for("ind")
    assert "Soon secret" in ind.get("/notifications/").content.decode()
    page = ind.get("/").content.decode()
    assert "Soon secret" in page
    assert header_count(page) == "1"

    # A bulk update sends no signal, yet the dashboard's cached fragments must not show the
    # title for a moment longer: every write of a product's table moves the content stamp
    # they are keyed by (core.changes watches the statements, not the signals).
    Document.objects.filter(pk=document.pk).update(access_level=AccessLevel.SECRETARIAT)
    assert "Soon secret" not in ind.get("/notifications/").content.decode()
    page = ind.get("/").content.decode()
    assert "Soon secret" not in page
    assert header_count(page) is None  # the header counts it no more either


def header_count(page: str) -> str | None:
    found = re.search(r'href="/notifications/">[^<(]*\(([^)]+)\)</a>', page)
    return found.group(1) if found else None


def test_the_header_count_stops_at_99(forum, client_for) -> None:
    for number in range(105):
        notify([forum["ind"]], "documents.new", params={"body": "SWG", "title": f"T{number}"})
    assert header_count(client_for("ind").get("/").content.decode()) == "99+"
