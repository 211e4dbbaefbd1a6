"""The demo's live negotiations: the Astana Statement podium version and the Plan of Action
under negotiation in the SWG, as in the CICA corpus (October 2022). Idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.db import transaction

from secretariat.accounts.models import Body, User
from secretariat.negotiation import actions, compiling
from secretariat.negotiation.actions.revisions import current_issued
from secretariat.negotiation.models import Negotiation

TEXTS = Path(__file__).resolve().parent / "demo_texts"

DEMO = [
    ("Draft Astana Statement on CICA Transformation", "astana-statement-podium.txt", "SWG"),
    (
        "Draft CICA Plan of Action on the Implementation of the UN Global Counter-Terrorism "
        "Strategy",
        "plan-of-action.txt",
        "SWG",
    ),
]


def load_demo(stdout: TextIO) -> None:
    actor = User.objects.filter(username="secretariat").first()
    for title, filename, body_code in DEMO:
        if Negotiation.objects.filter(title=title).exists():
            continue
        body = Body.objects.get(code=body_code)
        text = (TEXTS / filename).read_text(encoding="utf-8")
        negotiation = actions.do_import_negotiation(
            title=title,
            body=body,
            text=text,
            actor=actor,
            source_name=filename,
        )
        if filename.startswith("astana"):
            _russian_edition(negotiation, actor)
            _live_activity(negotiation)
        stdout.write(f"Negotiation: {title} ({body_code}) {negotiation.get_absolute_url()}\n")


# Rev.2 of the Astana Statement rewords two paragraphs the Russian edition (made from Rev.1)
# has not caught up with; its PP4 also lost a bracket: the editions page shows all three.
REV2_EDITS = {
    "PP11": ("gradually and incrementally", "steadily and incrementally"),
    "OP4": (
        "in areas of interest of all Member States",
        "in areas of common interest to all Member States",
    ),
}


def _russian_edition(negotiation: Negotiation, actor: User | None) -> None:
    text = (TEXTS / "astana-statement-podium.ru.txt").read_text(encoding="utf-8")
    actions.do_load_edition(negotiation, language="ru", text=text, actor=actor)
    working = actions.working_revision(negotiation)
    for key, (old, new) in REV2_EDITS.items():
        seen = compiling.paragraph_notation(working.notation, key) or ""
        working, _conflict = actions.do_edit_paragraph(
            negotiation, working, key=key, notation=seen.replace(old, new), seen=seen, actor=actor
        )
    with transaction.atomic():
        current_issued(negotiation, actor, "Rev.2: PP11 and OP4 reworded")


def _live_activity(negotiation: Negotiation) -> None:
    """A few acts of the day, through the real actions, so the workspace is not empty."""
    users = {u.username: u for u in User.objects.filter(username__in=["chn", "ind", "rus"])}
    if len(users) < 3:
        return
    amendment, _conflict = actions.do_propose_amendment(
        negotiation,
        paragraph_key="OP2",
        kind="insert",
        anchor="major goals",
        text="and tasks",
        code="CHN",
        actor=users["chn"],
        explanation="Aligns with the Catalogue of CBMs.",
    )
    actions.do_state_position(
        negotiation,
        target_kind="amendment",
        target_key=str(amendment.pk),
        stance="oppose",
        code="IND",
        actor=users["ind"],
        explanation="The goals are enough.",
    )
    actions.do_comment(
        negotiation,
        paragraph_key="PP5c",
        code="RUS",
        actor=users["rus"],
        text="We can accept PP5c only together with PP5b, or delete both.",
    )
