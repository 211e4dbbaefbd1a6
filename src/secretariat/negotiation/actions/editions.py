"""Language editions: load a whole edition (text or DOCX, through the engine) and update one
paragraph. Each records which source revision the text translates."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.negotiation import editions, engine
from secretariat.negotiation.actions.common import ActionError
from secretariat.negotiation.models import (
    EDITION_LANGUAGES,
    Edition,
    EditionParagraph,
    Negotiation,
    Revision,
)

MAX_EDITION_CHARS = 2_000_000
MAX_PARAGRAPH_CHARS = 20_000


def _clean(text: str, limit: int) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").strip()
    if not text:
        raise ActionError(_("The text is empty."))
    if len(text) > limit:
        raise ActionError(_("The text is too long."))
    return text


def do_load_edition(
    negotiation: Negotiation,
    *,
    language: str,
    text: str,
    actor: User | None,
    translates: Revision | None = None,
) -> Edition:
    """Replace the paragraphs of the `language` edition with `text` (bracket notation), each
    recorded as a translation of the source paragraph it aligns with in `translates` (the
    latest issued revision by default)."""
    if language not in {code for code, _name in EDITION_LANGUAGES}:
        raise ActionError(_("Unknown language."))
    text = _clean(text, MAX_EDITION_CHARS)
    revision = translates or editions.source_revision(negotiation)
    if revision is None or revision.negotiation_id != negotiation.pk:
        raise ActionError(_("The negotiation has no issued revision to translate."))
    register = engine.forum_register()
    draft = engine.parse(text, register=register)
    if not draft.paragraphs:
        raise ActionError(_("The text has no paragraphs."))
    source = engine.draft_of(revision)
    alignment = engine.align(source, draft)
    source_of: dict[int, str] = {}
    for pair in alignment.pairs:
        src = editions.notation_of([source.paragraphs[i] for i in pair.a]) if pair.a else ""
        for j in pair.b:
            source_of[j] = src
    with transaction.atomic():
        edition, created = Edition.objects.select_for_update().get_or_create(
            negotiation=negotiation, language=language
        )
        old = edition.paragraphs.count()
        edition.paragraphs.all().delete()
        EditionParagraph.objects.bulk_create(
            EditionParagraph(
                edition=edition,
                number=j + 1,
                notation=engine.render_paragraph_notation(p),
                source_revision=revision.number,
                source_notation=source_of.get(j, ""),
                updated_by=actor,
            )
            for j, p in enumerate(draft.paragraphs)
        )
        edition.save(update_fields=["updated_at"])
        audit.record(
            "negotiation.edition.load",
            actor=actor,
            obj=negotiation,
            language=language,
            revision=revision.number,
            old=old,
            new=len(draft.paragraphs),
            created=created,
        )
    return edition


def do_load_edition_docx(
    negotiation: Negotiation, *, language: str, data: bytes, actor: User | None
) -> Edition:
    """The same from a DOCX: the engine reads it into notation first."""
    try:
        draft = engine.read_docx(data, register=engine.forum_register())
    except Exception as exc:  # an unreadable upload is the user's error, never a 500
        raise ActionError(_("The file could not be read as DOCX.")) from exc
    return do_load_edition(
        negotiation, language=language, text=engine.render_notation(draft), actor=actor
    )


def do_update_edition_paragraph(
    row: EditionParagraph, *, notation: str, actor: User | None
) -> EditionParagraph:
    """A translator's new text of one paragraph: it now translates the current source."""
    notation = _clean(notation, MAX_PARAGRAPH_CHARS)
    edition = row.edition
    negotiation = edition.negotiation
    revision = editions.source_revision(negotiation)
    if revision is None:
        raise ActionError(_("The negotiation has no issued revision to translate."))
    with transaction.atomic():
        row = EditionParagraph.objects.select_for_update().get(pk=row.pk)
        # Where this paragraph stands against the current source, before the change.
        view = editions.side_by_side(negotiation, [edition])
        source_text = row.source_notation
        for r in view.rows:
            if r.source and any(x.pk == row.pk for x in r.cells[0].rows):
                source_text = editions.notation_of(r.source)
                break
        old = row.notation
        row.notation = notation
        row.source_revision = revision.number
        row.source_notation = source_text
        row.updated_by = actor
        row.save()
        audit.record(
            "negotiation.edition.paragraph",
            actor=actor,
            obj=negotiation,
            language=edition.language,
            paragraph=row.number,
            revision=revision.number,
            old=old,
            new=notation,
        )
    return row
