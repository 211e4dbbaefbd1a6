from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    """The project catalogue and each installed app's own ``locale/`` (Django reads both), so a
    new app ships its strings in its own catalogue instead of editing the shared one."""
    from django.apps import apps

    dirs = [Path(d) for d in settings.LOCALE_PATHS]
    for config in apps.get_app_configs():
        app_locale = Path(config.path) / "locale"
        if config.name.startswith("secretariat.") and app_locale.is_dir():
            dirs.append(app_locale)
    return dirs


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo (pure Python; no gettext needed)."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        import polib

        for locale_dir in catalogue_dirs():
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                self.stdout.write(f"compiled {po_path.relative_to(locale_dir)}")
