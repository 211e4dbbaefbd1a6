"""`secretariat api token create USERNAME [--scope read|write] [--days N]`: prints a new token
once (for scripts and checks; people create theirs on the API tokens page)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from secretariat.accounts.models import User
from secretariat.api import tokens


class Command(BaseCommand):
    help = "Personal API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        token = sub.add_parser("token", help="API tokens")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--scope", choices=["read", "write"], default="read")
        create.add_argument("--days", type=int, default=tokens.DEFAULT_DAYS)
        create.add_argument("--name", default="command line")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        try:
            new = tokens.do_create_token(
                user,
                name=options["name"],
                scope=options["scope"],
                days=options["days"],
                actor=None,
            )
        except tokens.TokenError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(new.secret)
