"""The demo forum's library: the corpus as a living archive (idempotent, by checksum).

- the CICA and ASEM declarations, adopted and published, public;
- the 2022 circular SWG/OI/1262 with its drafts, under negotiation in the SWG, for members;
- the joint statements of other groupings as reference texts of their organizations;
- the two UNFCCC negotiating texts as reference drafts of the UN (in the index, but the
  finder leaves drafts out unless asked);
- an ICT-WG non-paper in English and Russian, visible to that body only.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from secretariat.accounts.models import AccessLevel, Body
from secretariat.archive import finding, importing
from secretariat.core.types import Writer
from secretariat.documents import actions, files
from secretariat.documents.models import Document, DocumentType, Status, Version

CORPUS = Path(__file__).resolve().parents[1] / "demo" / "corpus"
TEXTS = Path(__file__).resolve().parent / "demo_texts"

DECLARATIONS = [
    # file, organization, title, type, date
    (
        "asem-2002-copenhagen-declaration-terrorism.txt",
        "ASEM",
        "Copenhagen Declaration on Cooperation against International Terrorism",
        DocumentType.DECLARATION,
        date(2002, 9, 24),
    ),
    (
        "asem-2004-hanoi-declaration-cultures.txt",
        "ASEM",
        "Hanoi Declaration on Dialogue among Cultures and Civilisations",
        DocumentType.DECLARATION,
        date(2004, 10, 9),
    ),
    (
        "asem-2006-helsinki-declaration-future.txt",
        "ASEM",
        "Helsinki Declaration on the Future of ASEM",
        DocumentType.DECLARATION,
        date(2006, 9, 11),
    ),
    (
        "cica-2006-almaty-summit-declaration.txt",
        "CICA",
        "Declaration of the Second CICA Summit",
        DocumentType.DECLARATION,
        date(2006, 6, 17),
    ),
]
EXTRA_ORGANIZATIONS = {"quad": "QUAD", "asean_us": "ASEAN", "us_india": "US-India", "unfccc": "UN"}


def _import(path: Path, options: importing.Options, stdout: Writer) -> Document | None:
    outcome = importing.import_file(path, options)
    if outcome.action == "imported" and outcome.document_id is not None:
        finding.sync_document(outcome.document_id)
        stdout.write(f"  library: imported {path.name}\n")
    elif outcome.action == "rejected":
        stdout.write(f"  library: could not import {path.name}: {outcome.message}\n")
    if outcome.document_id is None:
        return None
    return Document.objects.filter(pk=outcome.document_id).first()


def _organization(name: str) -> str:
    for prefix, organization in sorted(EXTRA_ORGANIZATIONS.items(), key=lambda x: -len(x[0])):
        if name.startswith(prefix + "_"):
            return organization
    return "UN"


def load_demo(stdout: Writer) -> None:
    started = time.monotonic()
    for name, organization, title, kind, day in DECLARATIONS:
        _import(
            CORPUS / name,
            importing.Options(
                organization=organization,
                day=day,
                status=Status.PUBLISHED,
                title=title,
                doc_type=kind,
                language="en",
                access_level=AccessLevel.PUBLIC,
            ),
            stdout,
        )

    swg = Body.objects.filter(code="SWG").first()
    _import(
        CORPUS / "cica-2022-swg-circular-drafts.txt",
        importing.Options(
            organization="CICA",
            day=date(2022, 10, 4),
            status=Status.UNDER_NEGOTIATION,
            title="Circular note SWG/OI/1262: SWG recommendations and draft documents",
            symbol="SWG/OI/1262",
            doc_type=DocumentType.NOTE_VERBALE,
            language="en",
            access_level=AccessLevel.MEMBERS,
            body=swg,
        ),
        stdout,
    )

    for path in sorted((CORPUS / "extra").glob("*.txt")):
        organization = _organization(path.name)
        is_draft = organization == "UN"
        _import(
            path,
            importing.Options(
                organization=organization,
                status=Status.DRAFT if is_draft else Status.ADOPTED,
                doc_type=DocumentType.DRAFT if is_draft else DocumentType.STATEMENT,
                language="en",
                access_level=AccessLevel.MEMBERS,
            ),
            stdout,
        )

    _load_ict_wg(stdout)
    stdout.write(
        f"  library: ready ({Document.objects.count()} documents, "
        f"{time.monotonic() - started:.1f} s)\n"
    )


def _load_ict_wg(stdout: Writer) -> None:
    body = Body.objects.filter(code="ICT-WG").first()
    if body is None:
        return
    english = _import(
        TEXTS / "ict-wg-non-paper.en.txt",
        importing.Options(
            organization="CICA",
            day=date(2022, 10, 3),
            status=Status.DRAFT,
            title="ICT-WG non-paper: confidence building measures in the use of ICTs",
            doc_type=DocumentType.OTHER,
            language="en",
            access_level=AccessLevel.BODY,
            body=body,
        ),
        stdout,
    )
    russian_path = TEXTS / "ict-wg-non-paper.ru.txt"
    data = russian_path.read_bytes()
    if english is None or Version.objects.filter(sha256=files.checksum(data)).exists():
        return
    upload = actions.read_upload(data, russian_path.name)
    document = actions.do_create_document(
        upload,
        title="Неофициальный документ РГ по ИКТ: меры доверия в сфере ИКТ",
        organization="CICA",
        doc_type=DocumentType.OTHER,
        status=Status.DRAFT,
        access_level=AccessLevel.BODY,
        body=body,
        day=english.date,
        language="ru",
        edition_of=english,
        comment=f"Imported from {russian_path.name}",
        actor=None,
    )
    finding.sync_document(document.pk)
    stdout.write(f"  library: imported {russian_path.name}\n")
