from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "secretariat.archive"
    label = "archive"
    verbose_name = _("Archive")

    def ready(self) -> None:
        from secretariat.archive.receivers import on_document_changed
        from secretariat.documents.signals import document_changed

        document_changed.connect(on_document_changed, dispatch_uid="archive-finder-sync")
