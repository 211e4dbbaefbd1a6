"""`secretariat forum load FILE [--dry-run]` and `secretariat forum export FILE`: the forum's
register file in and out (docs/forum-register.md). An error in the file is one line naming the
file and its line, exit status 2, and nothing is loaded."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from secretariat.accounts.forum_register import RegisterError, export_register, load_register


class Command(BaseCommand):
    help = "Load the forum's register file (idempotent), or export the forum to one."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser("load", help="create or update the forum from a register file")
        load.add_argument("file")
        load.add_argument(
            "--dry-run", action="store_true", help="print what would change, write nothing"
        )
        export = sub.add_parser("export", help="write the forum's register file")
        export.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "load":
                report = load_register(options["file"], dry_run=options["dry_run"])
                for line in report.lines():
                    self.stdout.write(line)
                if options["dry_run"]:
                    self.stdout.write("Dry run: nothing was written.")
            else:
                export_register(options["file"])
                self.stdout.write(f"Wrote {options['file']}")
        except RegisterError as exc:
            raise CommandError(str(exc), returncode=2) from None
