"""An open silence procedure shows the time left, rendered by the server and kept current by
a static script (no inline script)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from secretariat.negotiation.templatetags.countdown import time_left


def test_time_left_in_words_with_plural_forms() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert time_left(now + timedelta(days=2, hours=3, minutes=5), now) == (
        "2 days 3 hours 5 minutes"
    )
    assert time_left(now + timedelta(hours=1, minutes=1), now) == "1 hour 1 minute"
    assert time_left(now + timedelta(seconds=42), now) == "42 seconds"
    assert time_left(now - timedelta(seconds=1), now) == ""
    with translation.override("ru"):
        assert time_left(now + timedelta(days=2, hours=5, minutes=21), now) == (
            "2 дня 5 часов 21 минута"
        )


@pytest.mark.django_db
def test_the_decisions_page_shows_the_countdown(small, forum, client_for) -> None:
    chair = client_for("chair")
    chair.post(
        f"/negotiations/{small.pk}/rev/2/resolve/",
        {"bracket": "PP2-b1", "keep": "1", "paragraph": "PP2"},
    )
    deadline = datetime.now(UTC) + timedelta(days=3, hours=2)
    r = chair.post(
        f"/negotiations/{small.pk}/decisions/silence/",
        {
            "date": deadline.strftime("%Y-%m-%d"),
            "time": deadline.strftime("%H:%M:%S"),
            "time_zone": "UTC",
        },
    )
    assert r.status_code == 302
    html = client_for("ind").get(f"/negotiations/{small.pk}/decisions/").content.decode()
    match = re.search(r'<strong data-countdown="([^"]+)"[^>]*>([^<]+)</strong>', html)
    assert match, "the countdown is on the page"
    assert datetime.fromisoformat(match.group(1)) == small.silences.get().deadline
    assert re.fullmatch(r"3 days (1|2) hours? \d+ minutes?", match.group(2))
    assert '<script src="/static/js/countdown.js" defer></script>' in html
