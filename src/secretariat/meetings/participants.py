"""The list of participants in the forum's order of precedence, and its DOCX export."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from secretariat.accounts.models import Delegation
from secretariat.communications.rendering import pdf_from_html
from secretariat.meetings.models import Meeting, Participant
from secretariat.meetings.precedence import Party, name_in, order_parties


@dataclass(frozen=True)
class DelegationBlock:
    """One delegation on the list (or the secretariat: `code` empty), its people in order."""

    code: str
    name: str
    participants: list[Participant]


def _party(d: Delegation) -> Party:
    return Party(code=d.code, name_en=d.name_en, name_ru=d.name_ru, kind=d.kind, name_kk=d.name_kk)


def ordered_list(meeting: Meeting, language: str) -> list[DelegationBlock]:
    people = list(
        Participant.objects.filter(meeting=meeting).select_related("delegation").order_by("id")
    )
    delegations = {p.delegation.code: p.delegation for p in people if p.delegation is not None}
    parties = order_parties(
        [_party(d) for d in delegations.values()],
        language=language,
        style=meeting.precedence,
        lot_start=meeting.lot_start.code if meeting.lot_start_id and meeting.lot_start else None,
        host=meeting.host.code if meeting.host_id and meeting.host else None,
    )
    blocks = []
    for party in parties:
        members = [
            p for p in people if p.delegation is not None and p.delegation.code == party.code
        ]
        members.sort(key=lambda p: (not p.is_head, p.rank, p.id))
        blocks.append(DelegationBlock(party.code, name_in(party, language), members))
    staff = [p for p in people if p.delegation is None]
    if staff:
        staff.sort(key=lambda p: (p.rank, p.id))
        with translation.override(language):
            blocks.append(DelegationBlock("", _("Secretariat"), staff))
    return blocks


def to_pdf(meeting: Meeting, language: str) -> bytes:
    """The list as PDF, typeset by the notes' renderer with the fonts shipped for notes."""
    blocks = ordered_list(meeting, language)
    with translation.override(language):
        body = render_to_string(
            "meetings/_participants_pdf.html", {"meeting": meeting, "blocks": blocks}
        )
    return pdf_from_html(body, language)


def to_docx(meeting: Meeting, language: str) -> bytes:
    from docx import Document as Docx  # python-docx: only this export needs it

    blocks = ordered_list(meeting, language)
    doc = Docx()
    with translation.override(language):
        doc.add_heading(_("List of participants"), level=1)
        doc.add_paragraph(meeting.title)
        for block in blocks:
            doc.add_heading(block.name, level=2)
            for p in block.participants:
                line = " ".join(x for x in (p.honorific, p.name) if x)
                para = doc.add_paragraph()
                run = para.add_run(line)
                run.bold = p.is_head
                if p.function:
                    para.add_run(f", {p.function}")
                if p.is_head:
                    para.add_run(f" ({_('Head of delegation')})")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Seat:
    """A delegation's place round the table, for the SVG plan (coordinates in a 1000 box)."""

    number: int
    code: str
    name: str
    x: int
    y: int


def seats(blocks: list[DelegationBlock]) -> list[Seat]:
    """Round the table clockwise from the chair's place at the top, in the list's order."""
    n = max(len(blocks), 1)
    out = []
    for i, block in enumerate(blocks):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        out.append(
            Seat(
                number=i + 1,
                code=block.code,
                name=block.name,
                x=round(500 + 380 * math.cos(angle)),
                y=round(500 + 380 * math.sin(angle)),
            )
        )
    return out
