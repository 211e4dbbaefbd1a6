from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from secretariat.core import catalogues
from secretariat.core.management.commands.compilecatalogs import catalogue_dirs


class Command(BaseCommand):
    help = (
        "Strings an interface edition (ru, kk) lacks, per catalogue: `translations missing` "
        "lists them (--json: a file to fill in), `translations apply FILE` writes the filled "
        "file back. Then run compilecatalogs."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        missing = sub.add_parser("missing", help="list untranslated strings")
        missing.add_argument(
            "--language",
            action="append",
            choices=catalogues.LANGUAGES,
            help="only this edition (repeatable; default: all)",
        )
        missing.add_argument("--json", action="store_true", help="print a file to fill in")
        apply = sub.add_parser("apply", help="write a filled-in file from `missing --json`")
        apply.add_argument("file", help="the JSON file ('-' reads standard input)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "missing":
            self._missing(options["language"] or list(catalogues.LANGUAGES), options["json"])
        else:
            self._apply(options["file"])

    def _missing(self, languages: list[str], as_json: bool) -> None:
        found = catalogues.gaps(catalogue_dirs(), languages)
        if as_json:
            out: dict[str, dict[str, list[dict[str, Any]]]] = {}
            for gap in found:
                out.setdefault(str(gap.catalogue), {}).setdefault(gap.language, []).append(
                    gap.as_json()
                )
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        counts: dict[tuple[str, str], int] = {}
        for gap in found:
            key = (str(gap.catalogue), gap.language)
            counts[key] = counts.get(key, 0) + 1
            context = f" [{gap.msgctxt}]" if gap.msgctxt else ""
            self.stdout.write(
                f"{gap.language}\t{gap.problem}\t{gap.catalogue}\t{gap.msgid!r}{context}"
            )
        for (catalogue, language), n in sorted(counts.items()):
            self.stderr.write(f"{language}: {n} to translate in {catalogue}")
        if not found:
            self.stderr.write("Every string has its translations.")

    def _apply(self, file: str) -> None:
        raw = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        data = json.loads(raw)
        known = {str(d) for d in catalogue_dirs()}
        total = 0
        for catalogue, by_language in data.items():
            if catalogue not in known:
                raise CommandError(f"not a catalogue of this project: {catalogue}")
            for language, items in by_language.items():
                if language not in catalogues.LANGUAGES:
                    raise CommandError(f"not an interface language: {language}")
                try:
                    written = catalogues.apply(Path(catalogue), language, items)
                except catalogues.ApplyError as exc:
                    raise CommandError(f"{catalogue}: {exc}") from exc
                total += written
                if written:
                    self.stdout.write(f"{language}: {written} written to {catalogue}")
        self.stdout.write(f"{total} translations written; run `secretariat compilecatalogs`.")
