"""`secretariat negotiation import FILE --body CODE [--title T] [--chair CODE] --json` and
`secretariat negotiation status ID --json`, `secretariat negotiation akn ID [--revision N]
[--validate]` (a revision as Akoma Ntoso 3.0, negotiation/akn.py).
Output shapes are stable: acceptance checks use them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from secretariat.accounts.models import Body
from secretariat.negotiation import actions, engine
from secretariat.negotiation.models import Negotiation


def status_of(negotiation: Negotiation) -> dict[str, Any]:
    """The current text's figures (the working draft, as the podium shows it)."""
    working = actions.working_revision(negotiation)
    summary = engine.summary(engine.draft_of(working))
    last = actions.latest_issued(negotiation)
    return {
        "revision": last.number if last else working.number,
        "paragraphs": summary.paragraphs,
        "agreed": summary.agreed,
        "open_brackets": summary.open_brackets,
        "objections": dict(summary.objections),
        "state": negotiation.state,
    }


class Command(BaseCommand):
    help = "Import a draft to negotiate, or print a negotiation's status."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="start a negotiation from a text or DOCX draft")
        imp.add_argument("file")
        imp.add_argument("--body", required=True)
        imp.add_argument("--title", default="")
        imp.add_argument("--chair", default="", help="default: the forum's presiding code")
        imp.add_argument("--json", action="store_true")
        st = sub.add_parser("status", help="figures of the current text")
        st.add_argument("id", type=int)
        st.add_argument("--json", action="store_true")
        akn = sub.add_parser("akn", help="print a revision as Akoma Ntoso 3.0 XML")
        akn.add_argument("id", type=int)
        akn.add_argument("--revision", type=int, default=None, help="default: the latest")
        akn.add_argument(
            "--validate",
            action="store_true",
            help="check the XML against the OASIS AKN 3.0 schema; errors on stderr, exit 1",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "import":
            self._import(options)
        elif options["subcommand"] == "akn":
            self._akn(options)
        else:
            self._status(options)

    def _akn(self, options: dict[str, Any]) -> None:
        from secretariat.archive.akn import validation_errors
        from secretariat.negotiation.akn import revision_akn

        negotiation = Negotiation.objects.filter(pk=options["id"]).first()
        if negotiation is None:
            raise CommandError(f"no negotiation {options['id']}", returncode=2)
        revisions = negotiation.revisions.order_by("-number")
        if options["revision"] is not None:
            revisions = revisions.filter(number=options["revision"])
        revision = revisions.first()
        if revision is None:
            raise CommandError(f"no revision {options['revision']}", returncode=2)
        xml = revision_akn(revision)
        self.stdout.write(xml.decode("utf-8"), ending="")
        if options["validate"] and (errors := validation_errors(xml)):
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"{len(errors)} AKN 3.0 schema errors")

    def _import(self, options: dict[str, Any]) -> None:
        body = Body.objects.filter(code=options["body"].upper()).first()
        if body is None:
            known = ", ".join(Body.objects.values_list("code", flat=True))
            raise CommandError(f"unknown body {options['body']!r} (known: {known})", returncode=2)
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from None
        if path.suffix.lower() == ".docx":
            text = engine.docx_to_notation(data)
        else:
            text = data.decode("utf-8-sig", errors="replace")
        title = options["title"] or _title_of(text) or path.stem
        negotiation = actions.do_import_negotiation(
            title=title,
            body=body,
            text=text,
            actor=None,
            chair_code=options["chair"].upper() or None,
            source_name=path.name,
        )
        out = {
            "id": negotiation.pk,
            "url": negotiation.get_absolute_url(),
            "podium_url": negotiation.podium_url(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            self.stdout.write(f"negotiation {out['id']}: {out['url']} (podium {out['podium_url']})")
            for d in negotiation.diagnostics:
                self.stdout.write(
                    f"  line {d['line']}:{d['column']} {d['severity']}: {d['message']}"
                )

    def _status(self, options: dict[str, Any]) -> None:
        negotiation = Negotiation.objects.filter(pk=options["id"]).first()
        if negotiation is None:
            raise CommandError(f"no negotiation {options['id']}", returncode=2)
        out = status_of(negotiation)
        if options["json"]:
            self.stdout.write(json.dumps(out))
        else:
            for k, v in out.items():
                self.stdout.write(f"{k}: {v}")


def _title_of(text: str) -> str:
    """The first all-capitals heading that is not a podium-version line."""
    for line in text.splitlines():
        s = line.strip().strip("*").strip()
        if s and s.upper() == s and "PODIUM" not in s and len(s) > 12:
            return s.title()[:300]
    return ""
