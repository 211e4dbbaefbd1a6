"""`secretariat mail status [--json]`, `secretariat mail send-pending`, `secretariat mail bench`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Count

from secretariat.outbox.models import OutboundEmail


def status_counts() -> dict[str, int]:
    rows = OutboundEmail.objects.order_by().values("status").annotate(n=Count("id"))
    found = {r["status"]: r["n"] for r in rows}
    return {s: found.get(s, 0) for s in OutboundEmail.Status.values}


class Command(BaseCommand):
    help = "The mail outbox: counts by status, send what is due, or measure the sending rate."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="messages by status")
        status.add_argument("--json", action="store_true", help="one JSON object")
        sub.add_parser("send-pending", help="send every message that is due now, then exit")
        bench = sub.add_parser("bench", help="outbox vs Django's send_mass_mail on loopback")
        bench.add_argument("--messages", type=int, default=500)
        bench.add_argument("--batch", type=int, default=100)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "status":
            counts = status_counts()
            if options["json"]:
                # The documented shape (monitoring reads it); cancelled rows are not pending.
                keys = ("queued", "sending", "sent", "failed")
                self.stdout.write(json.dumps({k: counts[k] for k in keys}))
            else:
                for key, n in counts.items():
                    self.stdout.write(f"{key:10} {n}")
        elif action == "send-pending":
            from secretariat.outbox.sending import send_due

            report = send_due()
            self.stdout.write(
                f"sent {report.sent}, retry later {report.retried}, failed {report.failed}, "
                f"cancelled {report.cancelled}"
            )
        elif action == "bench":
            from secretariat.outbox.bench import run_bench

            run_bench(self.stdout, messages=options["messages"], batch=options["batch"])
