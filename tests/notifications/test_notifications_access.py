"""A notification about an object the reader may no longer see is shown nowhere."""

from __future__ import annotations

import re

from secretariat.accounts.models import AccessLevel
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

    # Through save(), as the product's actions and the admin change it: the dashboard's cached
    # fragments are keyed by the content stamp that saves move (core.changes).
    document.access_level = AccessLevel.SECRETARIAT
    document.save(update_fields=["access_level"])
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
