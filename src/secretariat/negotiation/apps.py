from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NegotiationConfig(AppConfig):
    name = "secretariat.negotiation"
    label = "negotiation"
    verbose_name = _("Negotiations")

    def ready(self) -> None:
        from secretariat.core import reaper
        from secretariat.negotiation.deadlines import overdue_silences

        reaper.register_deadlines("negotiation.silence", overdue_silences)
