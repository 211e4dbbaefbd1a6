"""`secretariat mailin --host 127.0.0.1 --port 2525`: the board's inbound SMTP receiver.

It accepts mail only for the board's addresses (see board.addresses); each recipient is judged
at RCPT time and the message is posted at DATA time. The database work runs in one worker
thread, off the event loop, on one connection kept open for the life of the receiver (opening
one per SMTP command was most of the cost of a message on PostgreSQL); a connection that
failed is dropped and the command answered 451 (try again later), the next one reconnects."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connection

from secretariat.board import inbound

TRY_LATER = inbound.Outcome(451, "temporary failure of the board's database, try again later")


class BoardHandler:
    def __init__(self, executor: ThreadPoolExecutor) -> None:
        self.executor = executor

    async def _run(self, fn: Any, *args: Any) -> inbound.Outcome:
        def call() -> inbound.Outcome:
            # Not `close_old_connections()`: with the default CONN_MAX_AGE of 0 it closes the
            # connection after every command. This thread keeps its own connection.
            if connection.connection is not None and connection.errors_occurred:
                if not connection.is_usable():
                    connection.close()
                connection.errors_occurred = False
            try:
                result: inbound.Outcome = fn(*args)
            except DatabaseError:
                connection.errors_occurred = True
                return TRY_LATER
            return result

        return await asyncio.get_running_loop().run_in_executor(self.executor, call)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        outcome = await self._run(inbound.check_recipient, address, envelope.mail_from or "")
        if outcome.code != 250:
            return outcome.smtp
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if isinstance(data, str):
            data = data.encode()
        outcomes = [
            await self._run(inbound.receive, rcpt, envelope.mail_from or "", data)
            for rcpt in envelope.rcpt_tos
        ]
        failed = [o for o in outcomes if o.code != 250]
        return failed[0].smtp if failed else "250 " + outcomes[-1].text


class _Controller(Controller):
    def _trigger_server(self) -> None:
        # With port 0: learn the port the system chose before connecting to it.
        server = self.server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()


class Command(BaseCommand):
    help = "Receive mail for the board (replies by email, new threads by email)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525, help="0: a free port")

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mailin-db")
        controller = _Controller(
            BoardHandler(executor),
            hostname=host,
            port=port,
            data_size_limit=10 * 1024 * 1024,
            ready_timeout=30,
        )
        controller.start()
        self.stdout.write(f"mailin listening on {host}:{controller.port}", ending="\n")
        self.stdout.flush()
        stop = asyncio.Event()
        loop = asyncio.new_event_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            loop.run_until_complete(stop.wait())
        finally:
            controller.stop()
            executor.shutdown(wait=True)
            loop.close()
