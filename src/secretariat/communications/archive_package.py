"""Notes verbales in an archive package (archive/package.py finds this provider).

Written as `notes/notes.json` (every note with its series, number, reference, status, dates,
language editions, recipients and enclosures) and `notes/<reference or id>.pdf` (the issued
PDF, byte for byte). Enclosures name the enclosed document's edition group, language and
version number, and are restored when that version is in the target (the same package puts
it there). Import matches a note by series, year and number when it has one, by subject and
creation moment otherwise: importing twice adds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from secretariat.accounts.models import Body, Delegation
from secretariat.communications.models import (
    Note,
    NoteEdition,
    NoteEnclosure,
    NoteRecipient,
    Series,
)
from secretariat.documents.models import Version

KEY = "notes"


def _dt(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def export(
    root: Path, *, body: str | None, date_from: date | None, date_to: date | None
) -> dict[str, int]:
    qs = Note.objects.select_related("series", "body", "corrects").order_by("pk")
    if body:
        qs = qs.filter(body__code=body)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    folder = root / KEY
    folder.mkdir(parents=True)
    notes = []
    for n in qs:
        pdf = None
        if n.pdf_file and default_storage.exists(n.pdf_file):
            name = re.sub(r"[^A-Za-z0-9.-]+", "-", n.reference or f"note-{n.pk}") + ".pdf"
            with default_storage.open(n.pdf_file, "rb") as fh:
                (folder / name).write_bytes(fh.read())
            pdf = f"{KEY}/{name}"
        notes.append(
            {
                "id": n.pk,
                "kind": n.kind,
                "series": {
                    "code": n.series.code,
                    "title": n.series.title,
                    "format": n.series.format,
                    "yearly_reset": n.series.yearly_reset,
                },
                "status": n.status,
                "subject": n.subject,
                "year": n.year,
                "number": n.number,
                "reference": n.reference,
                "corrects": n.corrects.reference if n.corrects else None,
                "access_level": n.access_level,
                "body": n.body.code if n.body else None,
                "issued_on": _dt(n.issued_on),
                "issued_at": _dt(n.issued_at),
                "release_at": _dt(n.release_at),
                "released_at": _dt(n.released_at),
                "created_at": _dt(n.created_at),
                "pdf": pdf,
                "pdf_sha256": n.pdf_sha256,
                "pdf_pages": n.pdf_pages,
                "editions": [
                    {
                        "language": e.language,
                        "subject": e.subject,
                        "text": e.text,
                        "rendered": e.rendered,
                    }
                    for e in n.editions.order_by("language")
                ],
                "recipients": [
                    {
                        "delegation": r.delegation.code,
                        "opened_at": _dt(r.opened_at),
                        "acknowledged_at": _dt(r.acknowledged_at),
                    }
                    for r in n.recipients.select_related("delegation").order_by("pk")
                ],
                "enclosures": [
                    {
                        "translation_key": str(e.version.document.translation_key),
                        "language": e.version.document.language,
                        "version": e.version.number,
                        "sha256": e.version.sha256,
                        "order": e.order,
                        "pages": e.pages,
                    }
                    for e in n.enclosures.select_related("version__document").order_by("order")
                ],
            }
        )
    (folder / "notes.json").write_text(
        json.dumps({"notes": notes}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return {"notes": len(notes)}


def import_(data: Path) -> dict[str, int]:
    path = data / KEY / "notes.json"
    if not path.exists():
        return {"notes": 0}
    items = json.loads(path.read_text(encoding="utf-8"))["notes"]
    added = 0
    bodies = {b.code: b for b in Body.objects.all()}
    delegations = {d.code: d for d in Delegation.objects.all()}
    # Corrected notes first, so that a correction finds the note it corrects.
    for item in sorted(items, key=lambda i: (i["corrects"] is not None, i["id"])):
        with transaction.atomic():
            added += _import_one(data, item, bodies, delegations)
    return {"notes": added}


def _import_one(
    data: Path, item: dict[str, Any], bodies: dict[str, Body], delegations: dict[str, Delegation]
) -> int:
    from secretariat.archive.package import PackageError

    s = item["series"]
    series, _ = Series.objects.get_or_create(
        code=s["code"],
        defaults={"title": s["title"], "format": s["format"], "yearly_reset": s["yearly_reset"]},
    )
    if item["number"] is not None:
        found = Note.objects.filter(series=series, year=item["year"], number=item["number"])
    else:
        found = Note.objects.filter(subject=item["subject"], created_at=item["created_at"])
    if found.exists():
        return 0
    body = bodies.get(item["body"]) if item["body"] else None
    if item["body"] and body is None:
        raise PackageError(f"body {item['body']!r} is not in this instance's register")
    pdf_file = ""
    if item["pdf"]:
        raw = (data / item["pdf"]).read_bytes()
        if hashlib.sha256(raw).hexdigest() != item["pdf_sha256"]:
            raise PackageError(f"{item['pdf']}: checksum differs from the note's")
        pdf_file = default_storage.save(f"notes/{Path(item['pdf']).name}", ContentFile(raw))
    note = Note.objects.create(
        kind=item["kind"],
        series=series,
        status=item["status"],
        subject=item["subject"],
        year=item["year"],
        number=item["number"],
        reference=item["reference"],
        corrects=Note.objects.filter(reference=item["corrects"]).first()
        if item["corrects"]
        else None,
        access_level=item["access_level"],
        body=body,
        issued_on=item["issued_on"],
        issued_at=item["issued_at"],
        release_at=item["release_at"],
        released_at=item["released_at"],
        pdf_file=pdf_file,
        pdf_sha256=item["pdf_sha256"],
        pdf_pages=item["pdf_pages"],
    )
    Note.objects.filter(pk=note.pk).update(created_at=item["created_at"])
    NoteEdition.objects.bulk_create(NoteEdition(note=note, **e) for e in item["editions"])
    for r in item["recipients"]:
        if r["delegation"] not in delegations:
            raise PackageError(f"delegation {r['delegation']!r} is not in this register")
        NoteRecipient.objects.create(
            note=note,
            delegation=delegations[r["delegation"]],
            opened_at=r["opened_at"],
            acknowledged_at=r["acknowledged_at"],
        )
    for e in item["enclosures"]:
        version = Version.objects.filter(
            document__translation_key=e["translation_key"],
            document__language=e["language"],
            sha256=e["sha256"],
        ).first()
        if version is not None:
            NoteEnclosure.objects.create(
                note=note, version=version, order=e["order"], pages=e["pages"]
            )
    return 1
