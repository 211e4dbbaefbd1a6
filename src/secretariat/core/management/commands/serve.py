from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web application through ASGI with uvicorn."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="web processes")

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        import uvicorn

        uvicorn.run(
            "secretariat.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=True,
            timeout_graceful_shutdown=5,
        )
