"""`secretariat notes issue ...` (issue a note as the secretariat) and `secretariat notes bench`.

    secretariat notes issue --to (all|BODY|CODE[,CODE...]) --series SERIES --subject TEXT
        --text-file FILE [--enclose DOCUMENT_ID ...] [--language en --language ru ...] --json

prints {"id", "reference", "recipients": [codes], "emails": n, "url", "pdf_url"}. An unknown
body, code, series or document, or a file that cannot be read, is one line on stderr and exit
status 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from secretariat.accounts.models import Body
from secretariat.communications import actions, seed
from secretariat.communications.models import LANGUAGE_CODES, NoteKind, NoteTemplate, Series
from secretariat.documents.models import Document


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def _absolute(path: str) -> str:
    from django.conf import settings

    base = getattr(settings, "SECRETARIAT_BASE_URL", "")
    return base.rstrip("/") + path if base else path


class Command(BaseCommand):
    help = "Notes verbales: issue one from the command line, or measure issuing a circular."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a note as the secretariat")
        issue.add_argument("--to", required=True, help="all | BODY | CODE[,CODE...]")
        issue.add_argument("--series", required=True)
        issue.add_argument("--subject", required=True)
        issue.add_argument("--text-file", required=True, type=Path)
        issue.add_argument("--enclose", action="append", default=[], metavar="DOCUMENT_ID")
        issue.add_argument(
            "--language", action="append", default=[], choices=LANGUAGE_CODES, dest="languages"
        )
        issue.add_argument("--json", action="store_true")
        bench = sub.add_parser("bench", help="issue a circular to all member states vs Django")
        bench.add_argument("--rounds", type=int, default=3)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "bench":
            from secretariat.communications.bench import run_bench

            run_bench(self.stdout, rounds=options["rounds"])
            return
        self._issue(options)

    def _issue(self, options: dict[str, Any]) -> None:
        series = Series.objects.filter(code=options["series"]).first()
        if series is None:
            raise _fail(f"unknown series: {options['series']}")
        try:
            text = options["text_file"].read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(f"cannot read {options['text_file']}: {exc}") from exc
        if "\x00" in text or "\x00" in options["subject"]:
            raise _fail("the text holds a NUL byte")
        target = options["to"].strip()
        body = None
        delegations: list[Any] = []
        if target.lower() == "all":
            kind = NoteKind.CIRCULAR
        elif (body := Body.objects.filter(code__iexact=target).first()) is not None:
            kind = NoteKind.TO_BODY
        else:
            kind = NoteKind.TO_DELEGATIONS
            try:
                delegations = actions.find_delegations(target.split(","))
            except actions.ActionError as exc:
                raise _fail(f"unknown body or delegation: {exc.message}") from exc
        versions = []
        for raw in options["enclose"]:
            document = Document.objects.filter(pk=int(raw)).first() if str(raw).isdigit() else None
            if document is None or document.current_version is None:
                raise _fail(f"unknown document: {raw}")
            versions.append(document.current_version)
        if not NoteTemplate.objects.exists():
            seed.seed_house_style()  # a forum without a house style yet: start from the demo's
        languages = list(dict.fromkeys(options["languages"] or ["en"]))
        try:
            note = actions.do_create_note(
                kind=kind,
                series=series,
                editions=[
                    actions.EditionText(lang, options["subject"], text) for lang in languages
                ],
                body=body,
                delegations=delegations,
                actor=None,
            )
            for version in versions:
                actions.do_add_enclosure(note, version, actor=None)
            actions.do_approve_note(note, actor=None)
            note = actions.do_issue_note(note, actor=None)
        except actions.ActionError as exc:
            raise _fail(exc.message) from exc
        recipients = list(note.recipients.values_list("delegation__code", flat=True))
        result: dict[str, Any] = {
            "id": note.pk,
            "reference": note.reference,
            "recipients": recipients,
            "emails": getattr(note, "emails_queued", 0),
            "url": _absolute(note.get_absolute_url()),
            "pdf_url": _absolute(reverse("communications:pdf", args=[note.pk])),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{result['reference']}: {len(recipients)} delegations, "
                f"{result['emails']} emails, {result['url']}"
            )
