from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core.signals import got_request_exception
        from django.db.backends.signals import connection_created

        from secretariat.core import (
            changes,
            signals,  # noqa: F401 - mirrors admin changes into the audit
        )
        from secretariat.core.audit import register_sqlite_guard
        from secretariat.core.middleware import mark_unavailable

        got_request_exception.connect(mark_unavailable, dispatch_uid="secretariat-unavailable")
        connection_created.connect(register_sqlite_guard, dispatch_uid="secretariat-audit-guard")
        changes.connect()
