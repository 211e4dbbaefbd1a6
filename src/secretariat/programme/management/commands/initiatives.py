"""`secretariat initiatives remind [--json]`: run the reminder pass now (normally the worker's
scheduled task does) and print what it sent."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from secretariat.programme.reminders import run_pass


class Command(BaseCommand):
    help = "Initiatives: run the reporting reminder pass."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action")
        remind = sub.add_parser("remind", help="send the reminders owed today")
        remind.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("action") != "remind":
            raise CommandError("usage: secretariat initiatives remind [--json]")
        sent = run_pass()
        if options.get("json"):
            rows = [
                {
                    "initiative": s.initiative,
                    "title": s.title,
                    "cycle": s.cycle,
                    "kind": s.kind,
                    "due_on": s.due_on.isoformat(),
                    "recipients": s.recipients,
                }
                for s in sent
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for s in sent:
            self.stdout.write(f"{s.kind}\t{s.due_on}\t{s.recipients}\t{s.title}")
        self.stdout.write(
            ngettext("%(count)d reminder sent", "%(count)d reminders sent", len(sent))
            % {"count": len(sent)}
        )
