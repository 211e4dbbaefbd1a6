"""`secretariat board bench [--threads N --posts N --runs N --messages N]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Board tools: `bench` measures the board page and mail-in beside peers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        bench = sub.add_parser("bench")
        bench.add_argument("--threads", type=int, default=1000)
        bench.add_argument("--posts", type=int, default=20000)
        bench.add_argument("--runs", type=int, default=30)
        bench.add_argument("--messages", type=int, default=200)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from secretariat.board.bench import run_bench

        run_bench(
            self.stdout,
            threads=options["threads"],
            posts=options["posts"],
            runs=options["runs"],
            messages=options["messages"],
        )
