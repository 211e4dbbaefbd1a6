"""Language editions: load a whole edition (text or DOCX, through the engine) and update one
paragraph; assign translators per language. Each text records which source revision it
translates, and every change keeps the paragraph's earlier text as a version
(`EditionParagraphVersion`): nothing is overwritten without its history.

Only a translator assigned to the language (for the negotiation or forum-wide) or a
secretariat manager may change an edition (`access.can_translate`, checked here); only a
manager assigns translators. All of it is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.negotiation import access, editions, engine
from secretariat.negotiation.actions.common import ActionError
from secretariat.negotiation.models import (
    EDITION_LANGUAGES,
    Edition,
    EditionParagraph,
    EditionParagraphVersion,
    Negotiation,
    Revision,
    TranslatorAssignment,
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
    _require_translator(actor, negotiation, language)
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
        current = {row.number: row for row in edition.paragraphs.select_for_update()}
        old = len(current)
        versions: list[EditionParagraphVersion] = []
        changed = 0
        for j, p in enumerate(draft.paragraphs):
            values = {
                "notation": engine.render_paragraph_notation(p),
                "source_revision": revision.number,
                "source_notation": source_of.get(j, ""),
            }
            row = current.pop(j + 1, None)
            if row is not None and all(getattr(row, k) == v for k, v in values.items()):
                continue  # the same text translating the same source: nothing to keep
            changed += 1
            if row is None:
                row = EditionParagraph(edition=edition, number=j + 1, **values, updated_by=actor)
            else:
                for k, v in values.items():
                    setattr(row, k, v)
                row.updated_by = actor
            row.save()
            versions.append(_version(row, EditionParagraphVersion.Via.LOAD, actor))
        for row in current.values():  # paragraphs the new text no longer has
            versions.append(
                EditionParagraphVersion(
                    edition=edition,
                    number=row.number,
                    notation="",
                    source_revision=revision.number,
                    via=EditionParagraphVersion.Via.REMOVED,
                    made_by=actor,
                )
            )
            row.delete()
        EditionParagraphVersion.objects.bulk_create(versions)
        edition.save(update_fields=["updated_at"])
        audit.record(
            "negotiation.edition.load",
            actor=actor,
            obj=negotiation,
            language=language,
            revision=revision.number,
            old=old,
            new=len(draft.paragraphs),
            changed=changed,
            removed=sum(1 for v in versions if v.via == EditionParagraphVersion.Via.REMOVED),
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
    _require_translator(actor, negotiation, edition.language)
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
        _version(row, EditionParagraphVersion.Via.PARAGRAPH, actor).save()
        edition.save(update_fields=["updated_at"])
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


def _version(
    row: EditionParagraph, via: EditionParagraphVersion.Via, actor: User | None
) -> EditionParagraphVersion:
    """The row's text as of now, kept (unsaved)."""
    return EditionParagraphVersion(
        edition=row.edition,
        number=row.number,
        notation=row.notation,
        source_revision=row.source_revision,
        source_notation=row.source_notation,
        via=via,
        made_by=actor,
    )


def _require_translator(actor: User | None, negotiation: Negotiation, language: str) -> None:
    """`actor` None is the system itself (the demo's loader); anyone else must keep the
    language's edition of this negotiation."""
    if actor is not None and not access.can_translate(actor, negotiation, language):
        raise PermissionDenied


def do_assign_translator(
    *,
    translator: User,
    language: str,
    negotiation: Negotiation | None,
    actor: User,
) -> TranslatorAssignment:
    """A secretariat manager assigns `translator` (secretariat staff) to `language`, for one
    negotiation or forum-wide (`negotiation` None)."""
    if not access.is_translation_manager(actor):
        raise PermissionDenied
    if negotiation is not None and not access.policy.can_view(actor, negotiation):
        raise PermissionDenied
    if language not in {code for code, _name in EDITION_LANGUAGES}:
        raise ActionError(_("Unknown language."))
    if not access.policy.is_secretariat(translator) or not translator.is_active:
        raise ActionError(_("Only secretariat staff can be assigned as translators."))
    with transaction.atomic():
        assignment, created = TranslatorAssignment.objects.get_or_create(
            translator=translator,
            language=language,
            negotiation=negotiation,
            defaults={"assigned_by": actor},
        )
        if created:
            audit.record(
                "negotiation.translator.assign",
                actor=actor,
                obj=negotiation,
                translator=translator.username,
                language=language,
                negotiation=negotiation.pk if negotiation else None,
            )
    return assignment


def do_unassign_translator(assignment: TranslatorAssignment, *, actor: User) -> None:
    """A secretariat manager ends an assignment."""
    if not access.is_translation_manager(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit.record(
            "negotiation.translator.unassign",
            actor=actor,
            obj=assignment.negotiation,
            translator=assignment.translator.username,
            language=assignment.language,
            negotiation=assignment.negotiation_id,
        )
        assignment.delete()
