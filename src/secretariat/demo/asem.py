"""The ASEM demo forum's content: its declarations of 2002, 2004 and 2006 as the archive,
adopted and public (idempotent: the library's import skips a file it holds by checksum), and
a Chair's Statement of the SOM under negotiation with group positions (`(+ASEAN)`,
`(+EUROPE)`) beside the partners' own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from secretariat.accounts.models import AccessLevel, Body
from secretariat.archive import finding, importing
from secretariat.core.types import Writer
from secretariat.documents.models import DocumentType, Status
from secretariat.negotiation.actions import do_import_negotiation
from secretariat.negotiation.models import Negotiation

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


STATEMENT_TITLE = "Chair's Statement of the Senior Officials' Meeting"
STATEMENT = """CHAIR'S STATEMENT OF THE SENIOR OFFICIALS' MEETING

PP1. Recalling the Helsinki Declaration on the Future of ASEM and its call for a more
focused and visible partnership;

PP2. Welcoming the contribution of the Asia-Europe Foundation to the social, cultural and
educational pillar;

OP1. Senior Officials welcomed [the sustainable connectivity agenda] (+EUROPE) (+ASEAN) (-CHN)
as a priority across the three pillars;

OP2. They agreed to review [the working methods of the political pillar] (+EU) (-IND) (+JPN)
before the next Foreign Ministers' Meeting;

OP3. They tasked the coordinators to prepare the next Summit.
"""


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
    if not Negotiation.objects.filter(title=STATEMENT_TITLE).exists():
        do_import_negotiation(
            title=STATEMENT_TITLE, body=Body.objects.get(code="SOM"), text=STATEMENT, actor=None
        )
        stdout.write("  negotiation: opened the SOM Chair's Statement\n")
