"""The ICS feeds: parsed with icalendar; time zones, SEQUENCE, cancellation, tokens."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
from django.core.management import call_command

from secretariat.meetings import actions
from secretariat.meetings.forms import MeetingForm

ALMATY = ZoneInfo("Asia/Almaty")


def _feed(client, user) -> icalendar.Calendar:
    token = actions.calendar_token(user).token
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _event(cal: icalendar.Calendar, summary: str) -> icalendar.Event:
    found = [e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == summary]
    assert len(found) == 1, [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    return found[0]


def test_ten_in_almaty_is_four_utc_in_2022_and_five_utc_after_the_2024_change(
    make_meeting, forum, client
):
    make_meeting(
        title="Autumn 2022",
        starts_at=datetime(2022, 9, 28, 10, tzinfo=ALMATY),
        ends_at=datetime(2022, 9, 28, 18, tzinfo=ALMATY),
    )
    make_meeting(
        title="Summer 2030",
        starts_at=datetime(2030, 6, 3, 10, tzinfo=ALMATY),
        ends_at=datetime(2030, 6, 3, 18, tzinfo=ALMATY),
    )
    cal = _feed(client, forum["chn"])
    autumn = _event(cal, "Autumn 2022")["DTSTART"].dt
    summer = _event(cal, "Summer 2030")["DTSTART"].dt
    assert autumn.astimezone(UTC) == datetime(2022, 9, 28, 4, tzinfo=UTC)
    assert summer.astimezone(UTC) == datetime(2030, 6, 3, 5, tzinfo=UTC)
    # written in the meeting's zone, with its VTIMEZONE in the feed
    assert _event(cal, "Autumn 2022")["DTSTART"].params["TZID"] == "Asia/Almaty"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Almaty"]


def test_a_change_raises_sequence_and_keeps_the_uid(make_meeting, forum, client):
    meeting = make_meeting(title="Moving meeting")
    before = _event(_feed(client, forum["chn"]), "Moving meeting")
    form = MeetingForm(
        {
            **MeetingForm.initial_for(meeting),
            "starts_at": "2030-06-03T15:00",
            "ends_at": "2030-06-04T18:00",
        },
        parents=None,
    )
    assert form.is_valid(), form.errors
    actions.do_update_meeting(meeting, form.fields_value(), actor=forum["secretariat"])
    after = _event(_feed(client, forum["chn"]), "Moving meeting")
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt.astimezone(UTC) == datetime(2030, 6, 3, 10, tzinfo=UTC)
    # a no-op edit changes nothing
    actions.do_update_meeting(meeting, form.fields_value(), actor=forum["secretariat"])
    again = _event(_feed(client, forum["chn"]), "Moving meeting")
    assert int(again["SEQUENCE"]) == int(after["SEQUENCE"])


def test_cancelling_sends_status_cancelled(make_meeting, forum, client):
    meeting = make_meeting(title="Cancelled meeting")
    assert str(_event(_feed(client, forum["rus"]), "Cancelled meeting")["STATUS"]) == "CONFIRMED"
    actions.do_set_meeting_status(meeting, "cancelled", actor=forum["secretariat"])
    event = _event(_feed(client, forum["rus"]), "Cancelled meeting")
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_the_feed_needs_no_login_and_a_rotated_token_stops_working(make_meeting, forum, client):
    make_meeting(title="Token meeting")
    old = actions.calendar_token(forum["ind"]).token
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 200
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404
    actions.do_rotate_calendar_token(forum["ind"], actor=forum["ind"])
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    new = actions.calendar_token(forum["ind"]).token
    assert new != old
    assert client.get(f"/calendar/feed/{new}.ics").status_code == 200


def test_rotating_through_the_page(client_for, forum):
    ind = client_for("ind")
    page = ind.get("/calendar/")
    assert page.status_code == 200
    old = actions.calendar_token(forum["ind"]).token
    assert old in page.content.decode()
    assert ind.post("/calendar/rotate/").status_code == 302
    assert actions.calendar_token(forum["ind"]).token != old


def test_the_body_feed_holds_only_that_body(make_meeting, forum, client):
    make_meeting(title="SWG one")
    make_meeting("SOC", title="SOC one")
    token = actions.calendar_token(forum["ind"]).token
    cal = icalendar.Calendar.from_ical(client.get(f"/calendar/feed/{token}/SOC.ics").content)
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == ["SOC one"]


def test_calendar_url_command_prints_a_working_path(make_meeting, forum, client):
    make_meeting(title="Command meeting")
    out = io.StringIO()
    call_command("calendar", "url", "chn", stdout=out)
    path = out.getvalue().strip()
    assert path == f"/calendar/feed/{actions.calendar_token(forum['chn']).token}.ics"
    cal = icalendar.Calendar.from_ical(client.get(path).content)
    assert "Command meeting" in [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    # asking again gives the same path (the token is made once)
    out2 = io.StringIO()
    call_command("calendar", "url", "chn", stdout=out2)
    assert out2.getvalue().strip() == path


def test_other_apps_add_entries_through_calendar_sources(forum, client):
    from datetime import date

    from secretariat.meetings import hooks

    def source(user):
        if user.username != "chn":
            return []
        return [
            hooks.CalendarEntry(
                uid="report-7@secretariat",
                summary="Report due: ICT CBM",
                start=date(2030, 3, 1),
                sequence=2,
            )
        ]

    hooks.calendar_sources.append(source)
    try:
        event = _event(_feed(client, forum["chn"]), "Report due: ICT CBM")
        others = _feed(client, forum["ind"]).walk("VEVENT")
    finally:
        hooks.calendar_sources.remove(source)
    assert event["DTSTART"].dt == date(2030, 3, 1)
    assert int(event["SEQUENCE"]) == 2
    assert str(event["UID"]) == "report-7@secretariat"
    assert others == []


def test_silence_deadlines_of_visible_negotiations_are_in_the_feed(forum, client):
    from datetime import timedelta

    from django.utils import timezone

    from secretariat.accounts.models import Body
    from secretariat.negotiation import actions as negotiation_actions

    officer = forum["secretariat"]
    negotiation = negotiation_actions.do_import_negotiation(
        title="ICT closed text",
        body=Body.objects.get(code="ICT-WG"),
        text="PP1 The text.\n\nOP1 Agreed paragraph.",
        actor=officer,
        source_name="ict.txt",
    )
    negotiation_actions.do_open_silence(
        negotiation,
        deadline=timezone.now() + timedelta(days=3),
        time_zone="Asia/Almaty",
        actor=officer,
    )
    chn = [str(e["SUMMARY"]) for e in _feed(client, forum["chn"]).walk("VEVENT")]
    ind = [str(e["SUMMARY"]) for e in _feed(client, forum["ind"]).walk("VEVENT")]
    assert "Silence deadline: ICT closed text" in chn
    assert not any("ICT closed text" in s for s in ind)
