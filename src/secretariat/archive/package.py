"""Archive export packages (BagIt, RFC 8493) and their import into another instance.

`export_package(path, ...)` writes a bag: `data/documents.json` (every document with its
metadata and all its versions), `data/documents.csv` (one row per version), `data/files/`
(each version's file, byte for byte, named by its sha256); `bagit` writes the manifests
(sha256) and `bagit.Bag(path).validate()` checks them.

`import_package(path)` validates the bag, then loads its documents through the library's own
actions (`do_create_document`, `do_add_version`: the file checks, paragraphs, index and audit
rows as for an upload). Idempotent: a document is matched by its edition group and language,
a version by its sha256, so importing twice adds nothing. Bodies are matched by code and must
exist in the target's register.

The apps above the archive add their records through a provider module `archive_package`
(`export(root, body=, date_from=, date_to=) -> counts`, `import_(data) -> counts`, found by
`core.providers`): negotiation histories (negotiation/archive_package.py: each revision as
notation, DOCX and AKN, the positions, amendments and decisions) and notes verbales
(communications/archive_package.py: editions, recipients, enclosures, the issued PDF). They
are imported after the documents, so that a note's enclosures find their versions.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import bagit
from django.core.files.storage import default_storage
from django.db import transaction

from secretariat.accounts.models import Body
from secretariat.core.providers import provider_modules
from secretariat.documents import actions
from secretariat.documents.models import Document

FORMAT = "secretariat-archive/1"


@dataclass
class Counts:
    documents: int = 0
    versions: int = 0
    # What the providers wrote or added: {"negotiations": 2, "revisions": 5, "notes": 3, ...}
    records: dict[str, int] = field(default_factory=dict)

    def add(self, counts: dict[str, int]) -> None:
        for key, value in counts.items():
            self.records[key] = self.records.get(key, 0) + value


def _documents(body: str | None, date_from: date | None, date_to: date | None) -> Any:
    qs = Document.objects.select_related("body").order_by("pk")
    if body:
        qs = qs.filter(body__code=body)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


def export_package(
    path: Path,
    *,
    body: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Counts:
    path.mkdir(parents=True, exist_ok=False)
    files = path / "files"
    files.mkdir()
    counts = Counts()
    documents: list[dict[str, Any]] = []
    rows: list[list[Any]] = []
    for d in _documents(body, date_from, date_to):
        versions = []
        for v in d.versions.order_by("number"):
            name = f"{v.sha256}.{v.kind}"
            with default_storage.open(v.file, "rb") as fh:
                (files / name).write_bytes(fh.read())
            versions.append(
                {
                    "number": v.number,
                    "filename": v.filename,
                    "kind": v.kind,
                    "size": v.size,
                    "sha256": v.sha256,
                    "comment": v.comment,
                    "created_at": v.created_at.isoformat(),
                    "created_by": v.created_by_name,
                    "file": f"files/{name}",
                }
            )
            rows.append([d.pk, d.symbol, d.title, d.language, d.status, v.number, v.sha256, name])
            counts.versions += 1
        documents.append(
            {
                "id": d.pk,
                "symbol": d.symbol,
                "title": d.title,
                "doc_type": d.doc_type,
                "status": d.status,
                "date": d.date.isoformat() if d.date else None,
                "organization": d.organization,
                "language": d.language,
                "translation_key": str(d.translation_key),
                "access_level": d.access_level,
                "body": d.body.code if d.body else None,
                "versions": versions,
            }
        )
        counts.documents += 1
    (path / "documents.json").write_text(
        json.dumps({"format": FORMAT, "documents": documents}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    with (path / "documents.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["document", "symbol", "title", "language", "status", "version", "sha256", "file"]
        )
        writer.writerows(rows)
    for provider in provider_modules("archive_package"):
        counts.add(provider.export(path, body=body, date_from=date_from, date_to=date_to))
    bagit.make_bag(
        str(path),
        {"Source-Organization": "Secretariat", "External-Description": FORMAT},
        checksums=["sha256"],
    )
    return counts


class PackageError(Exception):
    pass


def import_package(path: Path) -> Counts:
    """Load a bag written by `export_package`; returns what was added (0s the second time)."""
    try:
        bag = bagit.Bag(str(path))
        bag.validate()
    except (bagit.BagError, bagit.BagValidationError) as exc:
        raise PackageError(f"not a valid package: {exc}") from exc
    data = Path(bag.path) / "data"
    payload = json.loads((data / "documents.json").read_text(encoding="utf-8"))
    if payload.get("format") != FORMAT:
        raise PackageError(f"unknown package format {payload.get('format')!r}")
    counts = Counts()
    bodies = {b.code: b for b in Body.objects.all()}
    for item in payload["documents"]:
        body = bodies.get(item["body"]) if item["body"] else None
        if item["body"] and body is None:
            raise PackageError(f"body {item['body']!r} is not in this instance's register")
        with transaction.atomic():
            document = Document.objects.filter(
                translation_key=item["translation_key"], language=item["language"]
            ).first()
            edition = Document.objects.filter(translation_key=item["translation_key"]).first()
            for v in item["versions"]:
                upload = actions.read_upload((data / v["file"]).read_bytes(), v["filename"])
                if upload.sha256 != v["sha256"]:
                    raise PackageError(f"{v['file']}: checksum differs from the manifest")
                if document is None:
                    document = actions.do_create_document(
                        upload,
                        title=item["title"],
                        organization=item["organization"],
                        doc_type=item["doc_type"],
                        status=item["status"],
                        access_level=item["access_level"],
                        body=body,
                        symbol=item["symbol"],
                        day=date.fromisoformat(item["date"]) if item["date"] else None,
                        language=item["language"],
                        edition_of=edition,
                        comment=v["comment"],
                        actor=None,
                    )
                    if edition is None:  # keep the edition group of the source
                        Document.objects.filter(pk=document.pk).update(
                            translation_key=item["translation_key"]
                        )
                    counts.documents += 1
                    counts.versions += 1
                elif not document.versions.filter(sha256=v["sha256"]).exists():
                    actions.do_add_version(document, upload, comment=v["comment"], actor=None)
                    counts.versions += 1
    for provider in provider_modules("archive_package"):
        counts.add(provider.import_(data))
    return counts
