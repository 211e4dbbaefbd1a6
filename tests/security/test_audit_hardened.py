"""Issue 9 item 8: the audit log carries the request's address on every change, records
refusals, keeps the actor's name when the account is deleted, and the DATABASE refuses any
UPDATE or DELETE of its rows (SQLite and PostgreSQL alike)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from secretariat.core import audit
from secretariat.core.models import AuditEvent

ADDRESS = "198.51.100.7"


@pytest.fixture
def event(forum) -> AuditEvent:
    return audit.record("test.event", actor=forum["ind"], note="kept")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET actor_name = 'someone else'",
        "UPDATE core_auditevent SET ip_address = NULL WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "DELETE FROM core_auditevent",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_row(event, statement) -> None:
    params = [event.pk] if "%s" in statement else []
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.actor_name, row.detail) == ("ind", {"note": "kept"})


def test_an_audit_row_keeps_the_actors_names(event) -> None:
    assert (event.actor_name, event.actor_full_name, event.actor_delegation) == (
        "ind",
        "Priya Raman",
        "IND",
    )


def test_a_user_deleted_in_the_admin_leaves_their_name_on_past_rows(forum, client_for) -> None:
    ind = forum["ind"]
    client_for("ind").post(
        "/accounts/login/", {"username": "ind", "password": "wrong"}, REMOTE_ADDR=ADDRESS
    )
    audit.record("test.event", actor=ind)
    before = list(AuditEvent.objects.filter(actor_id=ind.pk).values_list("pk", flat=True))
    assert before
    admin = client_for("secretariat")
    response = admin.post(f"/admin/accounts/user/{ind.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[-500:]
    assert not type(ind).objects.filter(pk=ind.pk).exists()
    rows = AuditEvent.objects.filter(pk__in=before)
    assert rows.count() == len(before)
    for row in rows:
        assert (row.actor_id, row.actor_name, row.actor_full_name, row.actor_delegation) == (
            ind.pk,
            "ind",
            "Priya Raman",
            "IND",
        )
    deletion = AuditEvent.objects.get(action="admin.delete", object_id=str(ind.pk))
    assert (deletion.actor_name, deletion.ip_address) == ("secretariat", "127.0.0.1")


def test_a_change_made_in_a_request_carries_its_address(add_document, client_for) -> None:
    document = add_document("A text.\n", status="draft")
    response = client_for("secretariat").post(
        f"/documents/{document.pk}/status/", {"status": "adopted"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="document.status", object_id=str(document.pk))
    assert (row.actor_name, row.ip_address, row.detail["new"]) == (
        "secretariat",
        ADDRESS,
        "adopted",
    )


def test_outside_a_request_a_change_has_no_address(forum) -> None:
    assert audit.record("test.event", actor=forum["ind"]).ip_address is None


def test_a_refused_look_at_a_restricted_object_is_recorded(add_document, client_for) -> None:
    document = add_document("Secret.\n", access_level="secretariat")
    response = client_for("observer").get(f"/documents/{document.pk}/", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 404
    row = AuditEvent.objects.get(action="view.denied")
    assert (row.actor_name, row.object_id, row.ip_address) == (
        "observer",
        str(document.pk),
        ADDRESS,
    )


def test_a_refused_change_by_a_reader_is_recorded(add_document, client_for) -> None:
    document = add_document("For all members.\n", status="draft")
    response = client_for("ind").post(
        f"/documents/{document.pk}/status/", {"status": "adopted"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 403
    row = AuditEvent.objects.get(action="change.denied")
    assert (row.actor_name, row.object_id, row.ip_address) == ("ind", str(document.pk), ADDRESS)
    assert not AuditEvent.objects.filter(action="document.status").exists()


@pytest.mark.parametrize("page", ["coverage", "precedents"])
def test_archive_fragments_showing_restricted_text_are_audited(
    add_document, client_for, page
) -> None:
    document = add_document("1. A restricted paragraph of agreed language.\n")
    target = document.pk if page == "coverage" else document.current_paragraphs()[0].pk
    response = client_for("ind").get(f"/archive/{page}/{target}/", REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    row = AuditEvent.objects.get(action="view", detail__page=page)
    assert (row.actor_name, row.object_id, row.ip_address) == ("ind", str(document.pk), ADDRESS)
