"""The receiver's handler: a database error is answered 451 (try again later), not a crash of
the SMTP session, and the next command runs normally."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.db import DatabaseError

from secretariat.board import inbound
from secretariat.board.management.commands.mailin import BoardHandler


def test_a_database_error_is_answered_451_and_the_next_command_runs() -> None:
    def broken() -> inbound.Outcome:
        raise DatabaseError("server closed the connection unexpectedly")

    def fine() -> inbound.Outcome:
        return inbound.OK

    with ThreadPoolExecutor(max_workers=1) as executor:
        handler = BoardHandler(executor)

        async def session() -> list[str]:
            return [(await handler._run(f)).smtp for f in (broken, fine)]

        first, second = asyncio.run(session())
    assert first.startswith("451 ") and second == "250 OK"
