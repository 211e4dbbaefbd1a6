from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background worker (django-tasks' db_worker on every queue)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        argv = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
        if batch:
            argv.append("--batch")
        call_command("db_worker", *argv)
