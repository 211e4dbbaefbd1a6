"""`secretariat flush`: Django's flush, allowed to empty the append-only audit log too.

Erasing a whole database is the one case in which audit rows may go (the test runner resets
the database this way between tests). On SQLite the audit table's triggers let the rows go
only inside `audit.erasing_database()`; PostgreSQL's flush is a TRUNCATE, which row triggers
do not see.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from secretariat.core.audit import erasing_database


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with erasing_database():
            super().handle(**options)
