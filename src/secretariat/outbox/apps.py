from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "secretariat.outbox"
    label = "outbox"
    verbose_name = _("Mail outbox")

    def ready(self) -> None:
        from secretariat.outbox import email_change, password_reset
        from secretariat.outbox.api import register_kind

        register_kind(password_reset.KIND, password_reset.render_reset)
        email_change.register()
