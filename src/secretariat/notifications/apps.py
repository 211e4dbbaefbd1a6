from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "secretariat.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from secretariat.notifications import kinds  # noqa: F401  (registers the kinds)
        from secretariat.notifications.actions import do_unsubscribe
        from secretariat.notifications.emails import render_digest, render_immediate
        from secretariat.notifications.models import Category
        from secretariat.outbox.api import register_kind, register_unsubscribe_handler

        register_kind("notifications.immediate", render_immediate)
        register_kind("notifications.digest", render_digest)

        def label(category: str) -> str | None:
            if category == "digest":
                return str(_("Daily digest"))
            return str(Category(category).label) if category in Category.values else None

        register_unsubscribe_handler(do_unsubscribe, label=label)
