"""Meetings in the library's full-text search: the meeting's title and venue and its agenda
items' titles and annotations, under the meetings' access rules (a delegate never finds a word of
a draft agenda; an outsider nothing of an ICT working group meeting)."""

from __future__ import annotations

import pytest

from secretariat.documents.search import parse, search
from secretariat.meetings import actions
from secretariat.meetings.search import search_meetings

pytestmark = pytest.mark.django_db


def titles(user, text: str) -> list[str]:
    return [hit.title for hit in search_meetings(user, parse(text))]


def test_published_items_are_found_drafts_only_by_the_secretariat(swg_meeting, forum):
    # "Draft Astana Statement" (annotated "The podium version.") is published; XYZZY is a draft.
    assert titles(forum["ind"], "podium") == ["2. Draft Astana Statement"]
    assert titles(forum["ind"], "xyzzy") == []
    assert titles(forum["secretariat"], "xyzzy") == ["3. Secret draft item XYZZY"]
    # Stems and phrases as in the library: "statements" finds "Statement".
    assert titles(forum["ind"], "statements") == ["2. Draft Astana Statement"]
    assert titles(forum["ind"], '"astana statement"') == ["2. Draft Astana Statement"]
    # the venue (Astana) and the item
    assert sorted(titles(forum["ind"], "ast*")) == ["2. Draft Astana Statement", "SWG meeting"]
    # A word changed in the draft after publication is not found by delegates until republished.
    item = swg_meeting.items.get(title="Opening of the meeting")
    actions.do_publish_agenda(swg_meeting, "revised", actor=forum["secretariat"])
    assert titles(forum["ind"], "xyzzy") == ["3. Secret draft item XYZZY"]
    assert item.pk


def test_an_outsider_finds_nothing_of_an_ict_meeting(ict_meeting, forum, client_for):
    officer = forum["secretariat"]
    actions.do_add_item(
        ict_meeting, title="Threat landscape", annotation="Ransomware QWERTY", actor=officer
    )
    actions.do_publish_agenda(ict_meeting, "provisional", actor=officer)
    assert sorted(titles(forum["chn"], "qwerty")) == [
        "1. Threat landscape",
        "ICT working group closed session QWERTY",
    ]
    for outsider in ("isr", "ind", "observer"):
        assert titles(forum[outsider], "qwerty") == []
        assert titles(forum[outsider], "ransomware") == []
        page = client_for(outsider).get("/archive/?q=qwerty").content.decode()
        assert "QWERTY" not in page.replace("qwerty", "")
    page = client_for("chn").get("/archive/?q=ransomware").content.decode()
    assert "Threat landscape" in page and 'class="hit meeting-hit"' in page


def test_the_library_search_carries_the_meeting_hits(swg_meeting, forum):
    """Through the one hook (`library_search` providers), grouped like the board's posts."""
    result = search(forum["ind"], "podium")
    (group,) = result.others
    assert (group.kind, group.title, group.total) == ("meeting", "Meetings", 1)
    assert [h.title for h in group.hits] == ["2. Draft Astana Statement"]
    assert (
        group.hits[0].url
        == swg_meeting.items.get(title="Draft Astana Statement").get_absolute_url()
    )
    assert group.hits[0].at == swg_meeting.starts_at
    # filters describe documents: no meeting hits under them
    assert search(forum["ind"], "podium", {"organization": "CICA"}).others == []
    assert search(forum["ind"], "podium", offset=20).others == []


def test_a_renamed_meeting_is_found_by_its_new_words(swg_meeting, forum):
    from dataclasses import replace

    fields = actions.MeetingFields(
        title="Extraordinary session ZEPHYR",
        body=swg_meeting.body,
        access_level=swg_meeting.access_level,
        starts_at=swg_meeting.starts_at,
        ends_at=swg_meeting.ends_at,
        time_zone=swg_meeting.time_zone,
        venue="Almaty",
    )
    actions.do_update_meeting(swg_meeting, replace(fields), actor=forum["secretariat"])
    assert titles(forum["ind"], "zephyr") == ["Extraordinary session ZEPHYR"]
    assert titles(forum["ind"], "almaty") == ["Extraordinary session ZEPHYR"]
    assert titles(forum["ind"], "astana") == ["2. Draft Astana Statement"]  # not the old venue
