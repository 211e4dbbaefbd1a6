from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "secretariat.documents"
    label = "documents"
    verbose_name = _("Library")

    def ready(self) -> None:
        from secretariat.core import reaper
        from secretariat.documents import pending

        reaper.register_housekeeping(
            "documents.pending-uploads", pending.sweep, every_seconds=pending.SWEEP_EVERY_SECONDS
        )
