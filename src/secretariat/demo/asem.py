"""The ASEM demo forum's content: its declarations of 2002, 2004 and 2006 as the archive,
adopted and public (idempotent: the library's import skips a file it holds by checksum)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from secretariat.accounts.models import AccessLevel
from secretariat.archive import finding, importing
from secretariat.core.types import Writer
from secretariat.documents.models import DocumentType, Status

CORPUS = Path(__file__).resolve().parent / "corpus"

DECLARATIONS = [
    (
        "asem-2002-copenhagen-declaration-terrorism.txt",
        "Copenhagen Declaration on Cooperation against International Terrorism",
        date(2002, 9, 24),
    ),
    (
        "asem-2004-hanoi-declaration-cultures.txt",
        "Hanoi Declaration on Dialogue among Cultures and Civilisations",
        date(2004, 10, 9),
    ),
    (
        "asem-2006-helsinki-declaration-future.txt",
        "Helsinki Declaration on the Future of ASEM",
        date(2006, 9, 11),
    ),
]


def load_content(stdout: Writer) -> None:
    for name, title, day in DECLARATIONS:
        outcome = importing.import_file(
            CORPUS / name,
            importing.Options(
                organization="ASEM",
                day=day,
                status=Status.PUBLISHED,
                title=title,
                doc_type=DocumentType.DECLARATION,
                language="en",
                access_level=AccessLevel.PUBLIC,
            ),
        )
        if outcome.action == "imported" and outcome.document_id is not None:
            finding.sync_document(outcome.document_id)
            stdout.write(f"  library: imported {name}\n")
        elif outcome.action == "rejected":
            stdout.write(f"  library: could not import {name}: {outcome.message}\n")
