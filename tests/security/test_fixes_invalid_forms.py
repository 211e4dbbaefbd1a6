"""Issue 9 leftovers, item 3: a POST with invalid data to a create or edit page answers 400
and re-renders the form with what was typed (never 200 as if nothing had happened, never a
redirect that loses the input), and changes and audits nothing. One case per page: the
library's, the notices', the notes', the board's and the meetings' (the programme's forms sit
inside the initiative page and redirect with a message)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MARK = "Typed-by-the-user-4711"


def _changes() -> int:
    return AuditEvent.objects.exclude(action__startswith="view").count()


def _meeting(forum) -> Any:
    from secretariat.accounts.models import Body
    from secretariat.meetings import actions

    almaty = ZoneInfo("Asia/Almaty")
    return actions.do_create_meeting(
        actions.MeetingFields(
            title="SWG meeting",
            body=Body.objects.get(code="SWG"),
            access_level="body",
            starts_at=datetime(2030, 6, 3, 10, tzinfo=almaty),
            ends_at=datetime(2030, 6, 4, 18, tzinfo=almaty),
            time_zone="Asia/Almaty",
            venue="Astana",
        ),
        actor=forum["secretariat"],
    )


def _draft_note(forum) -> Any:
    from secretariat.communications import actions
    from secretariat.communications.models import Series
    from secretariat.communications.seed import seed_house_style

    seed_house_style()
    return actions.do_create_note(
        kind="circular",
        series=Series.objects.get(code="NV"),
        editions=[actions.EditionText("en", "SWG recommendations", "forward the text.")],
        body=None,
        delegations=(),
        actor=forum["secretariat"],
    )


def _template(forum) -> Any:
    from secretariat.communications.models import NoteTemplate
    from secretariat.communications.seed import seed_house_style

    seed_house_style()
    return NoteTemplate.objects.order_by("pk").first()


def _thread(forum) -> Any:
    from secretariat.board.actions import do_create_thread, ensure_boards
    from secretariat.board.models import Board

    ensure_boards()
    board = Board.objects.get(code="swg")
    return do_create_thread(board, subject="Side event", text="Room 3.", actor=forum["ind"])


# (who, url maker, data, the model whose rows must not grow)
CASES: dict[str, tuple[str, Callable[[Any], str], dict[str, str], str]] = {
    "document-new": (
        "secretariat",
        lambda forum: "/documents/new/",
        {"title": MARK, "organization": "CICA"},  # no file, no type
        "documents.Document",
    ),
    "notice-new": ("ind", lambda forum: "/notices/new/", {"title": MARK}, "notices.Notice"),
    "note-compose": (
        "secretariat",
        lambda forum: "/notes/new/",
        {"subject_en": MARK, "kind": "no-such-kind"},
        "communications.Note",
    ),
    "note-edit": (
        "secretariat",
        lambda forum: f"/notes/{_draft_note(forum).pk}/edit/",
        {"subject_en": MARK, "series": "999999"},
        "communications.NoteEdition",
    ),
    "incoming-new": (
        "secretariat",
        lambda forum: "/notes/incoming/new/",
        {"subject": MARK},  # no file, no sender
        "communications.IncomingNote",
    ),
    "note-template": (
        "secretariat",
        lambda forum: f"/notes/templates/{_template(forum).pk}/",
        {"place": MARK, "body": ""},
        "communications.NoteTemplate",
    ),
    "releases": (
        "secretariat",
        lambda forum: "/notes/releases/",
        {"document": MARK, "release_at": "2030-01-01 10:00"},
        "communications.DocumentRelease",
    ),
    "thread-new": (
        "ind",
        lambda forum: "/board/swg/new/",
        {"subject": MARK},  # no text
        "board.Thread",
    ),
    "post-edit": (
        "ind",
        lambda forum: f"/board/p/{_thread(forum).posts.get().pk}/edit/",
        {"text": "", "quoted": MARK},
        "board.PostRevision",
    ),
    "meeting-new": (
        "secretariat",
        lambda forum: "/meetings/new/",
        {"title": MARK},  # no dates, no body
        "meetings.Meeting",
    ),
    "meeting-edit": (
        "secretariat",
        lambda forum: f"/meetings/{_meeting(forum).pk}/edit/",
        {"title": MARK, "starts_at": "not a date"},
        "meetings.Meeting",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_invalid_post_answers_400_with_the_form_kept(case, forum, client_for) -> None:
    from django.apps import apps

    who, url_of, data, model_label = CASES[case]
    if case == "thread-new":
        from secretariat.board.actions import ensure_boards

        ensure_boards()
    url = url_of(forum)
    model = apps.get_model(model_label)
    client = client_for(who)
    assert client.get(url).status_code == 200
    rows, changes = model.objects.count(), _changes()
    r = client.post(url, data)
    assert r.status_code == 400, (case, r.status_code)
    page = r.content.decode()
    assert "<form" in page and MARK in page  # the form again, with what was typed
    assert model.objects.count() == rows
    assert _changes() == changes  # nothing written, nothing audited
    if case == "meeting-edit":
        assert model.objects.get().title == "SWG meeting"
