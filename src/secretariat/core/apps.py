from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from secretariat.core import signals  # noqa: F401 - mirrors admin changes into the audit
        from secretariat.core.middleware import mark_unavailable

        got_request_exception.connect(mark_unavailable, dispatch_uid="secretariat-unavailable")
