"""`secretariat calendar url USERNAME`: the path of that user's ICS feed (the token is made if
there is none)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from secretariat.accounts.models import User
from secretariat.meetings import actions


class Command(BaseCommand):
    help = "Calendar feeds: `calendar url USERNAME` prints the path of the user's ICS feed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        url = sub.add_parser("url", help="print the path of a user's ICS feed")
        url.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "url":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user {options['username']!r}.")
            token = actions.calendar_token(user)
            self.stdout.write(reverse("meetings-calendar:feed", args=[token.token]))
