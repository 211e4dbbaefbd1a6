"""Active sessions: listed with browser, address and times (this one marked), ended one by one
or all at once; an ended session's next request is signed out."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secretariat.accounts import sessions
from secretariat.accounts.models import UserSession
from secretariat.core.models import AuditEvent

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)


def _signed_in(username: str, agent: str, address: str) -> Client:
    """A browser signed in through the login form (a delegate: no second step)."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": "demo"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    return client


def _signed_out(client: Client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sessions_are_listed_with_browser_address_and_this_one_marked(forum) -> None:
    office = _signed_in("ind", FIREFOX, "10.0.0.1")
    _signed_in("ind", CHROME, "10.0.0.2")
    _signed_in("rus", CHROME, "10.0.0.3")  # someone else's: not listed

    page = office.get(reverse("account-security"))
    listed = page.context["sessions"]
    assert [(s.browser, s.row.ip_address, s.current) for s in listed] == [
        ("Chrome · Linux", "10.0.0.2", False),
        ("Firefox · Windows", "10.0.0.1", True),
    ] or [(s.browser, s.row.ip_address, s.current) for s in listed] == [
        ("Firefox · Windows", "10.0.0.1", True),
        ("Chrome · Linux", "10.0.0.2", False),
    ]
    html = page.content.decode()
    assert "Firefox · Windows" in html and "10.0.0.2" in html and "this session" in html
    # Only a hash of the key is stored.
    key = office.session.session_key
    row = UserSession.objects.get(key_hash=sessions.key_hash(key))
    assert key not in {row.key_hash for row in UserSession.objects.all()}
    assert row.user == forum["ind"]


def test_ending_a_session_signs_that_browser_out(forum) -> None:
    office = _signed_in("ind", FIREFOX, "10.0.0.1")
    laptop = _signed_in("ind", CHROME, "10.0.0.2")
    row = UserSession.objects.get(ip_address="10.0.0.2")

    response = office.post(reverse("session-end"), {"session": row.pk})
    assert response.status_code == 302

    assert _signed_out(laptop)
    assert not _signed_out(office)
    assert not UserSession.objects.filter(pk=row.pk).exists()
    event = AuditEvent.objects.get(action="session.ended")
    assert (event.actor, event.detail["session_address"]) == (forum["ind"], "10.0.0.2")


def test_nobody_ends_someone_elses_session_but_the_secretariat(forum, client_for) -> None:
    _signed_in("rus", CHROME, "10.0.0.3")
    row = UserSession.objects.get(user=forum["rus"])
    for who in ("ind", "chair", "observer"):
        assert client_for(who).post(reverse("session-end"), {"session": row.pk}).status_code == 404
    assert client_for("ind").post(reverse("session-end"), {"session": "x"}).status_code == 404
    assert UserSession.objects.filter(pk=row.pk).exists()

    officer = client_for("secretariat")
    assert officer.post(reverse("session-end"), {"session": row.pk}).status_code == 302
    assert not UserSession.objects.filter(pk=row.pk).exists()


def test_the_secretariat_ends_all_sessions_of_a_user(forum, client_for) -> None:
    one = _signed_in("ind", FIREFOX, "10.0.0.1")
    two = _signed_in("ind", CHROME, "10.0.0.2")
    other = _signed_in("rus", CHROME, "10.0.0.3")
    url = reverse("sessions-end-all", args=[forum["ind"].pk])

    # The outsider does not see the page (404); nothing ended.
    assert client_for("rus").post(url).status_code == 404
    assert client_for("chair").get(reverse("account-user-security", args=[1])).status_code == 404
    assert not _signed_out(one)

    officer = client_for("secretariat")
    page = officer.get(reverse("account-user-security", args=[forum["ind"].pk]))
    assert len(page.context["sessions"]) == 2
    assert officer.post(url).status_code == 302

    assert _signed_out(one) and _signed_out(two)
    assert not _signed_out(other)
    assert not UserSession.objects.filter(user=forum["ind"]).exists()
    event = AuditEvent.objects.get(action="session.ended_all")
    assert (event.actor, event.object_id, event.detail["ended"]) == (
        forum["secretariat"],
        str(forum["ind"].pk),
        2,
    )


def test_ending_the_other_sessions_keeps_this_one(forum) -> None:
    here = _signed_in("ind", FIREFOX, "10.0.0.1")
    there = _signed_in("ind", CHROME, "10.0.0.2")
    assert here.post(reverse("sessions-end-others")).status_code == 302
    assert _signed_out(there)
    assert not _signed_out(here)
    assert list(UserSession.objects.values_list("ip_address", flat=True)) == ["10.0.0.1"]


def test_last_seen_is_touched_at_most_every_few_minutes(forum) -> None:
    client = _signed_in("ind", FIREFOX, "10.0.0.1")
    row = UserSession.objects.get()
    long_ago = timezone.now() - timedelta(hours=1)
    UserSession.objects.filter(pk=row.pk).update(last_seen=long_ago)

    client.get("/")  # within the touch interval: no write
    assert UserSession.objects.get().last_seen == long_ago

    session = client.session
    session["_session_seen"] -= sessions.SESSION_TOUCH_SECONDS + 1
    session.save()
    client.get("/")
    assert UserSession.objects.get().last_seen > long_ago


def test_rows_of_expired_sessions_are_not_listed(forum, settings) -> None:
    client = _signed_in("ind", FIREFOX, "10.0.0.1")
    _signed_in("ind", CHROME, "10.0.0.2")
    stale = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    UserSession.objects.filter(ip_address="10.0.0.2").update(last_seen=stale)
    listed = client.get(reverse("account-security")).context["sessions"]
    assert [s.row.ip_address for s in listed] == ["10.0.0.1"]
    assert Session.objects.count() == 2  # the Django session expires by itself
