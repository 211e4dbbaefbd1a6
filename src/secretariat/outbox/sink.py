"""A real SMTP server on loopback (aiosmtpd) for the tests and the benchmark.

It binds a free port (port 0), keeps every message it accepted, and lets a test decide the
reply to a DATA command (a 4xx, a 5xx, or blocking to catch a sender mid-send).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


# on_data(envelope) -> an SMTP reply to send instead of accepting ("451 ...", "550 ..."), or
# None to accept. It runs on the server's thread and may block.
DataHook = Callable[[Any], str | None]


class _Handler:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.on_data: DataHook | None = None
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.on_data is not None:
            reply = self.on_data(envelope)
            if reply is not None:
                return reply
        with self.arrived:
            self.received.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), bytes(envelope.content))
            )
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SMTPSink:
    def __init__(self, controller: Any, handler: _Handler) -> None:
        self._controller = controller
        self._handler = handler

    @property
    def port(self) -> int:
        return int(self._controller.port)

    @property
    def received(self) -> list[Received]:
        with self._handler.lock:
            return list(self._handler.received)

    def set_on_data(self, hook: DataHook | None) -> None:
        self._handler.on_data = hook

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least `count` messages have been accepted (or the timeout)."""
        with self._handler.arrived:
            self._handler.arrived.wait_for(lambda: len(self._handler.received) >= count, timeout)
            return list(self._handler.received)

    def stop(self) -> None:
        self._controller.stop()


@contextmanager
def smtp_sink(hostname: str = "127.0.0.1") -> Iterator[SMTPSink]:
    from aiosmtpd.controller import Controller

    class LoopbackController(Controller):  # type: ignore[misc]
        def _trigger_server(self) -> None:
            # Bound to port 0: learn the port the system chose before connecting to it.
            self.port = self.server.sockets[0].getsockname()[1]
            super()._trigger_server()

    handler = _Handler()
    controller = LoopbackController(handler, hostname=hostname, port=0)
    controller.start()
    sink = SMTPSink(controller, handler)
    try:
        yield sink
    finally:
        with suppress(AssertionError):  # already stopped by the test
            controller.stop()
