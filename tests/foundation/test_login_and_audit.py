"""Login, logout, throttling, expired sessions and the audit rows each of them writes."""

from __future__ import annotations

import pytest
from django.test import Client

from secretariat.core.models import AuditEvent
from secretariat.notices.actions import do_edit_notice, do_post_notice


def login(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_required_everywhere_but_login(db, client) -> None:
    for url in ("/", "/notices/", "/audit/", "/notifications/", "/section/meetings/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/accounts/login/").status_code == 200


def test_successful_login_is_audited_with_address(forum, client) -> None:
    response = login(client, "ind", "demo")
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="login")
    assert event.actor == forum["ind"]
    assert event.ip_address == "127.0.0.1"
    assert client.get("/").status_code == 200


def test_failed_login_is_audited(forum, client) -> None:
    response = login(client, "ind", "wrong")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    event = AuditEvent.objects.get(action="login.failed")
    assert event.actor_name == "ind"
    assert event.actor is None


def test_throttling_refuses_even_the_right_password_after_repeated_failures(
    forum,
    client,
    settings,
) -> None:
    for _ in range(settings.LOGIN_THROTTLE_FAILURES):
        login(client, "ind", "wrong")
    response = login(client, "ind", "demo")
    assert response.status_code == 200
    assert "Too many failed attempts" in response.content.decode()
    assert not AuditEvent.objects.filter(action="login").exists()
    # Another account is not locked by India's failures.
    assert login(Client(), "chn", "demo").status_code == 302


def test_logout_is_audited_and_ends_the_session(forum, client) -> None:
    login(client, "chn", "demo")
    assert client.post("/accounts/logout/").status_code == 302
    assert AuditEvent.objects.filter(action="logout", actor=forum["chn"]).exists()
    assert client.get("/").status_code == 302


def test_expired_session_says_so(forum, client) -> None:
    client.cookies["sessionid"] = "no-such-session"
    response = client.get("/", follow=True)
    assert "Your session has expired" in response.content.decode()


def test_viewing_restricted_content_is_audited_public_is_not(forum, client_for) -> None:
    secret = do_post_notice(
        title="Members only",
        text="x",
        access_level="members",
        body=None,
        actor=forum["secretariat"],
    )
    public = do_post_notice(
        title="Press release",
        text="x",
        access_level="public",
        body=None,
        actor=forum["secretariat"],
    )
    client = client_for("rus")
    client.get(f"/notices/{secret.pk}/")
    client.get(f"/notices/{public.pk}/")
    views = AuditEvent.objects.filter(action="view")
    assert [(e.actor_name, e.object_id) for e in views] == [("rus", str(secret.pk))]


def test_a_change_writes_its_audit_row_with_old_and_new_values(forum) -> None:
    notice = do_post_notice(
        title="Agenda", text="Item 1", access_level="members", body=None, actor=forum["secretariat"]
    )
    do_edit_notice(
        notice,
        title="Agenda",
        text="Item 1, item 2",
        access_level="members",
        body=None,
        actor=forum["chair"],
    )
    event = AuditEvent.objects.get(action="notice.edit")
    assert event.detail["changes"] == {"text": {"old": "Item 1", "new": "Item 1, item 2"}}
    assert notice.revisions.count() == 2
    # A no-op edit changes nothing and writes nothing.
    do_edit_notice(
        notice,
        title="Agenda",
        text="Item 1, item 2",
        access_level="members",
        body=None,
        actor=forum["chair"],
    )
    assert AuditEvent.objects.filter(action="notice.edit").count() == 1
    assert notice.revisions.count() == 2


def test_audit_rows_roll_back_with_the_change(forum) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        do_post_notice(
            title="Doomed", text="x", access_level="members", body=None, actor=forum["secretariat"]
        )
        raise RuntimeError("the surrounding change failed")
    assert not AuditEvent.objects.filter(action="notice.post").exists()


def test_the_audit_log_is_append_only(forum) -> None:
    event = AuditEvent.objects.create(action="test")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_secretariat_browses_and_filters_the_audit_log(forum, client_for) -> None:
    login(Client(), "isr", "bad password")
    login(Client(), "ind", "demo")
    client = client_for("secretariat")
    html = client.get("/audit/?action=login.failed").content.decode()
    assert "isr" in html and 'data-action="login.failed">Sign-in failed</span>' in html
    assert 'data-action="login"' not in html
    assert client.get("/audit/?since=not-a-date").status_code == 200
    assert client_for("ind").get("/audit/").status_code == 404
    assert client_for("chair").get("/audit/").status_code == 404


def test_language_switch_is_kept_on_the_account(forum, client_for) -> None:
    client = client_for("ind")
    response = client.post("/language/", {"language": "ru", "next": "/"})
    assert response.status_code == 302
    forum["ind"].refresh_from_db()
    assert forum["ind"].language == "ru"
    assert client.cookies["django_language"].value == "ru"
    # An outside address is never followed.
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_sections_not_built_yet_say_so(client_for) -> None:
    from secretariat.home import sections

    unbuilt = [s for s in sections.SECTIONS if not sections.section_url(s)[1]]
    for section in unbuilt:
        html = client_for("ind").get(f"/section/{section.slug}/").content.decode()
        assert "This section is not built yet." in html
    # a section whose app has landed sends old links to its page
    response = client_for("ind").get("/section/meetings/")
    assert response.status_code == 302 and response["Location"] == "/meetings/"
    assert client_for("ind").get("/section/nonsense/").status_code == 404


def test_admin_changes_reach_the_audit_log(forum, client_for) -> None:
    from secretariat.accounts.models import Delegation

    client = client_for("secretariat")
    kaz = Delegation.objects.get(code="KAZ")
    assert client.get("/admin/accounts/delegation/").status_code == 200
    response = client.post(
        f"/admin/accounts/delegation/{kaz.pk}/change/",
        {
            "code": "KAZ",
            "name_en": "Republic of Kazakhstan",
            "name_ru": kaz.name_ru,
            "kind": "member",
            "entity": kaz.entity,  # the register's fields, as the change form shows them
            "access_tier": kaz.access_tier,
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0",
            "aliases-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change")
    assert event.actor_name == "secretariat"
    assert event.object_type == "accounts.delegation"
    assert event.object_id == str(kaz.pk)
    # Delegates have no admin.
    assert client_for("ind").get("/admin/").status_code == 302
