from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run a background worker on every queue: it holds a lease (heartbeat), puts back the "
        "tasks of dead workers, re-enqueues overdue deadlines, and waits out a locked or lost "
        "database instead of exiting."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="run what is due, then exit")
        parser.add_argument("--interval", type=float, default=0.5)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        from secretariat.core.worker import Worker

        if options["verbosity"] > 0:
            logger = logging.getLogger("secretariat.tasks")
            logger.setLevel(logging.INFO)
        worker = Worker(interval=interval, batch=batch)
        if not batch:
            worker.configure_signals()
        worker.run()
