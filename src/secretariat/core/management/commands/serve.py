"""`secretariat serve`: uvicorn (ASGI) on one listening socket shared by N web processes.

Why the socket is bound here and not by `uvicorn.run`: with `--workers` > 1 uvicorn binds the
listening socket itself as `socket.socket(family)`, whose `proto` is 0. asyncio only switches
Nagle's algorithm off (TCP_NODELAY) on accepted sockets whose `proto` is IPPROTO_TCP, so every
response written in two pieces (headers, then body) waited for the client's delayed ACK: a
~44 ms floor under every request, even for a bare "hello" app (`benchmarks/serve_floor.py`).
Binding it with IPPROTO_TCP, and setting TCP_NODELAY on the listening socket as well (Linux
hands it on to accepted sockets), gives the multi-process server the one-process latency.

Client addresses: X-Forwarded-For (and X-Forwarded-Proto) are believed only on connections
from the addresses in `SECRETARIAT_TRUSTED_PROXIES` (default: none). Anyone can send the
header, so trusting it from everywhere (or from 127.0.0.1 while anything else on the host can
connect) lets a client choose the address that the login throttle counts and the audit log
records. The proxy must overwrite the header, not append to a client's.
"""

from __future__ import annotations

import socket
import sys
from typing import Any

from django.core.management.base import BaseCommand


def bind_listening_socket(host: str, port: int) -> socket.socket:
    """A TCP listening socket that accepted connections inherit TCP_NODELAY from."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class Command(BaseCommand):
    help = "Serve the web application through ASGI with uvicorn."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="web processes")
        parser.add_argument(
            "--http", default="auto", choices=["auto", "h11", "httptools"], help="HTTP parser"
        )

    def handle(
        self, *args: Any, host: str, port: int, workers: int, http: str, **options: Any
    ) -> None:
        import uvicorn
        from django.conf import settings
        from uvicorn.supervisors import Multiprocess

        trusted: list[str] = list(settings.SECRETARIAT_TRUSTED_PROXIES)

        config = uvicorn.Config(
            "secretariat.asgi:application",
            host=host,
            port=port,
            workers=workers,
            http=http,
            log_level="warning",
            # Without a trusted proxy the headers are ignored altogether (uvicorn's own default
            # would trust 127.0.0.1, or $FORWARDED_ALLOW_IPS).
            proxy_headers=bool(trusted),
            forwarded_allow_ips=trusted or None,
            timeout_graceful_shutdown=5,
        )
        try:
            sock = bind_listening_socket(host, port)
        except OSError as exc:
            self.stderr.write(f"Cannot listen on {host}:{port}: {exc}")
            sys.exit(3)
        server = uvicorn.Server(config)
        try:
            if workers > 1:
                Multiprocess(config, sockets=[sock]).run()
            else:
                config.load_app()
                server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            sock.close()
