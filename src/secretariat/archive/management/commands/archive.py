"""`secretariat archive import|precedents|annotate|search|reindex|bench`.

Commands act as the system: imports are audited as "system", and precedents and search see
what the secretariat sees. Keep the options stable: acceptance checks use them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from secretariat.accounts.models import AccessLevel, Body
from secretariat.documents.models import Status

if TYPE_CHECKING:
    from secretariat.archive.finding import IndexBuilding


def _read_text(path: str) -> str:
    """The text of a txt, docx or pdf file (judged by content), as the library reads it."""
    from secretariat.documents import files, textnorm

    try:
        data = Path(path).read_bytes()
        kind = files.sniff(data).kind
        return textnorm.parse_header(files.extract_text(kind, data))[1]
    except (OSError, files.FileRejected) as exc:
        raise CommandError(f"{path}: {exc}") from exc


def _building(exc: IndexBuilding) -> CommandError:
    progress = exc.progress
    done = f" ({progress.done} of {progress.total} paragraphs so far)" if progress else ""
    return CommandError(
        "The finder index is being built by a worker (`secretariat worker`)"
        f"{done}; or build it now with `secretariat archive reindex`."
    )


def _annotate(text: str) -> list[dict[str, Any]]:
    from secretariat.archive import finding

    try:
        return finding.annotate(SystemUser(), text)
    except finding.IndexBuilding as exc:
        raise _building(exc) from None


class SystemUser:
    """The command line's reader: sees everything, as the secretariat does."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    role = "secretariat"
    delegation_id = None
    pk = None

    def get_username(self) -> str:
        return "system"


class Command(BaseCommand):
    help = "The archive: import files, find precedents, annotate drafts, search, reindex, bench."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.required = True

        imp = sub.add_parser("import", help="import files or folders (idempotent by checksum)")
        imp.add_argument("paths", nargs="+")
        imp.add_argument("--organization", default="")
        imp.add_argument("--date", default="", help="YYYY-MM-DD (default: found in the text)")
        imp.add_argument("--status", default=Status.ADOPTED, choices=Status.values)
        imp.add_argument("--title", default="")
        imp.add_argument("--symbol", default="")
        imp.add_argument("--language", default="", help="en, ru, kk... (default: detected)")
        imp.add_argument("--type", dest="doc_type", default="")
        imp.add_argument("--access", default=AccessLevel.MEMBERS, choices=AccessLevel.values)
        imp.add_argument("--body", default="", help="body code, for --access body")

        prec = sub.add_parser("precedents", help="closest adopted paragraphs to a text")
        source = prec.add_mutually_exclusive_group(required=True)
        source.add_argument("--text")
        source.add_argument("--file")
        prec.add_argument("--top", type=int, default=5)
        prec.add_argument("--include-drafts", action="store_true")
        prec.add_argument("--json", action="store_true", dest="as_json")

        ann = sub.add_parser("annotate", help="agreed-language coverage of a draft, per paragraph")
        ann.add_argument("file")
        ann.add_argument("--json", action="store_true", dest="as_json")

        srch = sub.add_parser("search", help="full-text search of the archive")
        srch.add_argument("query", nargs="+")
        srch.add_argument("--json", action="store_true", dest="as_json")
        srch.add_argument("--limit", type=int, default=20)

        sub.add_parser("reindex", help="rebuild the finder index from the library")

        akn = sub.add_parser("akn", help="print a document as Akoma Ntoso 3.0 XML")
        akn.add_argument("document_id", type=int)
        akn.add_argument(
            "--validate",
            action="store_true",
            help="check the XML against the OASIS AKN 3.0 schema; errors on stderr, exit 1",
        )

        akn_in = sub.add_parser(
            "import-akn", help="load an Akoma Ntoso document as a reference text (finder)"
        )
        akn_in.add_argument("path")
        akn_in.add_argument("--organization", default="")
        akn_in.add_argument("--status", default="adopted", choices=["adopted", "published"])
        akn_in.add_argument("--access", default="public", choices=["public", "members"])
        akn_in.add_argument(
            "--no-validate",
            dest="validate",
            action="store_false",
            help="load a document the AKN 3.0 schema refuses (by default it is refused)",
        )

        export = sub.add_parser("export", help="write an archive package (BagIt) to PATH")
        export.add_argument("--body", default=None)
        export.add_argument("--from", dest="date_from", default=None)
        export.add_argument("--to", dest="date_to", default=None)
        export.add_argument("path")

        load = sub.add_parser("import-package", help="load an archive package (idempotent)")
        load.add_argument("path")

        bench = sub.add_parser("bench", help="the finder engine's benchmark", add_help=False)
        bench.add_argument("bench_args", nargs=argparse.REMAINDER)

    def run_from_argv(self, argv: list[str]) -> None:
        # `bench` hands every following argument to the engine's own parser untouched.
        if len(argv) > 2 and argv[2] == "bench":
            from secretariat.archive.finder import bench

            sys.exit(bench.main(argv[3:]))
        super().run_from_argv(argv)

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        getattr(self, f"do_{subcommand.replace('-', '_')}")(**options)

    # --- subcommands --------------------------------------------------------------------
    def do_export(self, *, path: str, **o: Any) -> None:
        from pathlib import Path

        from secretariat.archive import package

        days = []
        for key in ("date_from", "date_to"):
            try:
                days.append(date.fromisoformat(o[key]) if o[key] else None)
            except ValueError:
                raise CommandError(f"dates are YYYY-MM-DD, not {o[key]!r}") from None
        if Path(path).exists():
            raise CommandError(f"{path} exists: give a new directory")
        c = package.export_package(Path(path), body=o["body"], date_from=days[0], date_to=days[1])
        self.stdout.write(
            f"Package written to {path}: {c.documents} documents, {c.versions} versions"
            + "".join(f", {n} {k}" for k, n in c.records.items())
            + "."
        )

    def do_import_package(self, *, path: str, **o: Any) -> None:
        from pathlib import Path

        from secretariat.archive import package

        try:
            c = package.import_package(Path(path))
        except package.PackageError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Imported {c.documents} documents, {c.versions} versions"
            + "".join(f", {n} {k}" for k, n in c.records.items())
            + "."
        )

    def do_import_akn(self, *, path: str, **o: Any) -> None:
        from pathlib import Path

        from secretariat.archive import akn
        from secretariat.documents import actions
        from secretariat.documents.files import FileRejected

        try:
            data = Path(path).read_bytes()
            if o["validate"] and (errors := akn.validation_errors(data)):
                raise CommandError(
                    f"{path}: not valid Akoma Ntoso 3.0 ({len(errors)} schema errors; "
                    "--no-validate loads it anyway):\n" + "\n".join(errors[:10])
                )
            meta, paragraphs = akn.read_akn(data)
            upload = actions.read_upload(
                akn.as_text(paragraphs).encode("utf-8"), Path(path).with_suffix(".txt").name
            )
            day = date.fromisoformat(meta["date"]) if meta.get("date") else None
        except (OSError, ValueError, FileRejected) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        document = actions.do_create_document(
            upload,
            title=meta.get("title") or Path(path).stem,
            organization=(o["organization"] or meta.get("organization") or "UN")[:40],
            status=o["status"],
            access_level=o["access"],
            symbol=meta.get("symbol", "")[:80],
            day=day,
            language=meta.get("language", "en"),
            comment="Akoma Ntoso import",
            actor=None,
        )
        self.stdout.write(
            f"Imported document {document.pk} with {len(paragraphs)} paragraphs from {path}."
        )

    def do_akn(self, *, document_id: int, validate: bool = False, **o: Any) -> None:
        from secretariat.archive.akn import to_akn, validation_errors
        from secretariat.documents.models import Document

        document = Document.objects.filter(pk=document_id).first()
        if document is None:
            raise CommandError(f"no document {document_id}")
        xml = to_akn(document)
        self.stdout.write(xml.decode("utf-8"), ending="")
        if validate and (errors := validation_errors(xml)):
            for error in errors:
                self.stderr.write(error)
            raise CommandError(f"document {document_id}: {len(errors)} AKN 3.0 schema errors")

    def do_import(self, *, paths: list[str], **o: Any) -> None:
        from secretariat.archive import importing

        try:
            day = date.fromisoformat(o["date"]) if o["date"] else None
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {o['date']!r}") from None
        body = None
        if o["body"]:
            body = Body.objects.filter(code=o["body"]).first()
            if body is None:
                raise CommandError(f"no body with code {o['body']!r}")
        if o["access"] == AccessLevel.BODY and body is None:
            raise CommandError("--access body needs --body CODE")
        options = importing.Options(
            organization=o["organization"],
            day=day,
            status=o["status"],
            title=o["title"],
            symbol=o["symbol"],
            language=o["language"],
            doc_type=o["doc_type"],
            access_level=o["access"],
            body=body,
        )
        found = importing.collect(paths)
        progress = importing.Progress(len(found), "files")
        try:
            outcomes = importing.import_paths(
                found, options, self.stdout, progress=progress, after=importing.sync_after_import
            )
        except KeyboardInterrupt:
            progress.clear()
            self.stderr.write(
                "Interrupted. Files imported so far are kept; run the same "
                "command again to continue."
            )
            sys.exit(130)
        counts = {
            a: sum(1 for x in outcomes if x.action == a)
            for a in ("imported", "skipped", "rejected")
        }
        self.stdout.write(
            f"{counts['imported']} imported, {counts['skipped']} already there, "
            f"{counts['rejected']} rejected."
        )
        if counts["rejected"]:
            sys.exit(1)

    def do_precedents(
        self,
        *,
        text: str | None,
        file: str | None,
        top: int,
        include_drafts: bool,
        as_json: bool,
        **_: Any,
    ) -> None:
        from secretariat.archive import finding

        if file:
            text = _read_text(file)
        try:
            results = finding.precedents(
                SystemUser(), text or "", k=top, include_drafts=include_drafts
            )
        except finding.IndexBuilding as exc:
            raise _building(exc) from None
        keys = ("document", "symbol", "source", "date", "paragraph", "score", "text", "diff")
        rows = [{k: r[k] for k in keys} for r in results]
        if as_json:
            self._json(rows)
            return
        if not rows:
            self.stdout.write("No precedent found.")
        for r in rows:
            self.stdout.write(
                f"{r['score']:.2f}  {r['symbol'] or r['source']} ({r['date']}) "
                f"¶{r['paragraph']}: {r['text'][:160]}"
            )

    def do_annotate(self, *, file: str, as_json: bool, **_: Any) -> None:

        text = _read_text(file)
        rows = [
            {
                "paragraph": r["paragraph"],
                "coverage": r["coverage"],
                "sources": [
                    {
                        k: s[k]
                        for k in ("document", "symbol", "source", "date", "paragraph", "words")
                    }
                    for s in r["sources"]
                ],
            }
            for r in _annotate(text)
        ]
        if as_json:
            self._json(rows)
            return
        for r in rows:
            names = ", ".join(
                f"{s['symbol'] or s['source']} ¶{s['paragraph']}" for s in r["sources"][:3]
            )
            self.stdout.write(f"¶{r['paragraph']:<4} {r['coverage'] * 100:5.1f} %  {names}")

    def do_search(self, *, query: list[str], as_json: bool, limit: int, **_: Any) -> None:
        from secretariat.documents.search import search

        result = search(SystemUser(), " ".join(query), {}, limit=limit, others=False)
        rows: list[dict[str, Any]] = [
            {
                "document": h.document.title,
                "symbol": h.document.symbol or None,
                "organization": h.document.organization,
                "date": h.document.date.isoformat() if h.document.date else None,
                "paragraph": h.paragraph.number,
                "score": h.score,
                "text": h.paragraph.text,
            }
            for h in result.hits
        ]
        if as_json:
            self._json(
                {
                    "total": result.total,
                    "documents": result.documents,
                    "hits": rows,
                    "facets": {
                        k: [[v, n] for v, _, n in vals] for k, vals in result.facets.items()
                    },
                }
            )
            return
        self.stdout.write(f"{result.total} paragraphs in {result.documents} documents")
        for r in rows:
            self.stdout.write(
                f"- {r['symbol'] or r['document'][:60]} ¶{r['paragraph']}: {r['text'][:140]}"
            )

    def do_reindex(self, **_: Any) -> None:
        from secretariat.archive import finding, importing

        progress = importing.Progress(0, "paragraphs")
        try:
            total = finding.rebuild(progress=progress.update)
        except KeyboardInterrupt:
            progress.clear()
            self.stderr.write("Interrupted; the previous index is still in place.")
            sys.exit(130)
        progress.clear()
        self.stdout.write(f"Finder index rebuilt: {total} paragraphs.")

    def do_bench(self, *, bench_args: list[str], **_: Any) -> None:
        from secretariat.archive.finder import bench

        code = bench.main(bench_args)
        if code:
            sys.exit(code)

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
