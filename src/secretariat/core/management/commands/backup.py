from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Write one archive (tar) of the site while it runs: the database, the stored files, "
        "the secret key and a manifest with a sha256 per member."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="the archive to write, e.g. site.tar")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        from secretariat.core import audit
        from secretariat.core.backup import BackupError, create_backup

        started = time.monotonic()
        try:
            manifest = create_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        size = sum(m.size for m in manifest.members)
        audit.record(
            "backup.create",
            actor_name="system",
            path=str(path),
            members=len(manifest.members),
            bytes=size,
        )
        self.stdout.write(
            f"Backup written to {path}: {len(manifest.members)} members, {size / 1e6:.1f} MB, "
            f"in {time.monotonic() - started:.1f} s."
        )
