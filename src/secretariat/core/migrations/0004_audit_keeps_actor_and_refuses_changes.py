"""The audit log keeps its actor as text and refuses UPDATE and DELETE in the database.

1. `actor_full_name` and `actor_delegation` are added and filled from the accounts of past
   rows (the user name was already kept in `actor_name`).
2. `actor` no longer has a database constraint nor SET_NULL: deleting a user in the admin used
   to rewrite every past row of theirs to NULL.
3. Triggers abort any UPDATE or DELETE on the table: PostgreSQL (a PL/pgSQL function) and
   SQLite (RAISE(ABORT)). On SQLite the trigger consults `secretariat_audit_writable()`, a
   function the product registers on its connections (core.apps) that answers 0 except inside
   `secretariat flush` (erasing a whole database, as the test runner does); any other client
   lacks the function and is refused too. PostgreSQL's flush is a TRUNCATE, which fires no
   row trigger.

Note: on SQLite, a later migration that rebuilds core_auditevent (AlterField and the like)
drops the triggers with the old table; such a migration must create them again
(`install_triggers` below).
"""

from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FUNCTION = "secretariat_audit_writable"

SQL = {
    "postgresql": (
        [
            """
            CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """,
            """
            CREATE TRIGGER core_auditevent_append_only
            BEFORE UPDATE OR DELETE ON core_auditevent
            FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()
            """,
        ],
        [
            "DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent",
            "DROP FUNCTION IF EXISTS core_auditevent_append_only()",
        ],
    ),
    "sqlite": (
        [
            f"""
            CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
            WHEN NOT {SQLITE_FUNCTION}()
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (UPDATE refused)'); END
            """,
            f"""
            CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
            WHEN NOT {SQLITE_FUNCTION}()
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only (DELETE refused)'); END
            """,
        ],
        [
            "DROP TRIGGER IF EXISTS core_auditevent_no_update",
            "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
        ],
    ),
}


def install_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    create, _drop = SQL.get(schema_editor.connection.vendor, ([], []))
    for statement in create:
        schema_editor.execute(statement, params=None)


def remove_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _create, drop = SQL.get(schema_editor.connection.vendor, ([], []))
    for statement in drop:
        schema_editor.execute(statement, params=None)


def keep_actor_details(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Copy each past actor's full name and delegation code into their rows."""
    event_model = apps.get_model("core", "AuditEvent")
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    actor_ids = (
        event_model.objects.exclude(actor_id=None).values_list("actor_id", flat=True).distinct()
    )
    for user in user_model.objects.filter(pk__in=list(actor_ids)).select_related("delegation"):
        full_name = f"{user.first_name} {user.last_name}".strip()
        delegation: Any = getattr(user, "delegation", None)
        event_model.objects.filter(actor_id=user.pk).update(
            actor_full_name=full_name[:300],
            actor_delegation=(delegation.code if delegation is not None else "")[:32],
        )
        event_model.objects.filter(actor_id=user.pk, actor_name="").update(
            actor_name=user.username[:150]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_audit_time_kept_when_written_late"),
        ("accounts", "0002_head_of_delegation_and_time_zone"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="actor_full_name",
            field=models.CharField(blank=True, max_length=300, verbose_name="full name"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="actor_delegation",
            field=models.CharField(blank=True, max_length=32, verbose_name="delegation"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="who",
            ),
        ),
        migrations.RunPython(keep_actor_details, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
