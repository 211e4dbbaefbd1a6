from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `secretariat backup` into an empty data directory and an "
        "empty database; checks every checksum first, then migrates and rebuilds the finder "
        "index."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="the archive to restore")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        from secretariat.core.backup import BackupError, restore_backup

        started = time.monotonic()
        try:
            manifest = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        call_command("migrate", interactive=False, verbosity=0)
        if apps.is_installed("secretariat.archive"):
            call_command("archive", "reindex", stdout=self.stdout)
        self.stdout.write(
            f"Restored {path} (made {manifest.created_at} by version {manifest.version}) "
            f"in {time.monotonic() - started:.1f} s."
        )
