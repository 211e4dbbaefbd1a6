from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "secretariat.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from secretariat.core import signals  # noqa: F401 - mirrors admin changes into the audit
