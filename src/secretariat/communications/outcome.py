"""Outcome notices of silence procedures, and the statements delegations file while one runs.

The negotiation side tells us when a procedure ends (adopted at the deadline, or broken); the
lead wires its signal to `on_silence_ended(silence_id)`, which issues the chair's notice as a
note to every participant of the negotiation's body, carrying the interpretative statements
and reservations filed, and (when broken) the objection and the amendments proposed since the
procedure opened. Issuing is idempotent: one notice per procedure.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from secretariat.communications import actions
from secretariat.communications.models import (
    Note,
    NoteKind,
    NoteTemplate,
    OutcomeStatement,
    Series,
)
from secretariat.communications.register_sections import register_series
from secretariat.core import audit


def statement_code(user: Any, silence: Any) -> str | None:
    """The delegation code under which `user` may file a statement now, or None."""
    from secretariat.negotiation.access import acting_code

    negotiation = silence.negotiation
    code = acting_code(user, negotiation)
    if code is None or code == negotiation.chair_code:
        return None
    return code


def do_file_outcome_statement(silence: Any, *, kind: str, text: str, actor: Any) -> Any:
    from secretariat.negotiation.models import SilenceProcedure

    text = text.strip()
    if kind not in OutcomeStatement.Kind.values:
        raise actions.ActionError(_("Choose the kind of statement."))
    if not text:
        raise actions.ActionError(_("Write the statement."))
    code = statement_code(actor, silence)
    if code is None:
        raise PermissionDenied
    with transaction.atomic():
        silence = SilenceProcedure.objects.select_for_update().get(pk=silence.pk)
        if silence.state != SilenceProcedure.State.OPEN or silence.deadline <= timezone.now():
            raise actions.ActionError(_("This silence procedure is no longer open."), status=409)
        statement = OutcomeStatement.objects.create(
            silence=silence,
            delegation=actor.delegation,
            kind=kind,
            text=text,
            filed_by=actor,
        )
        audit.record("silence.statement", actor=actor, obj=statement, silence=silence.pk, kind=kind)
    return statement


def _outcome_series() -> Series:
    code = getattr(settings, "NOTES_OUTCOME_SERIES", "NV")
    series = register_series().filter(code=code).first() or register_series().first()
    if series is None:
        raise actions.ActionError(_("There is no series to number the notice in."))
    return series


def _edition(silence: Any, language: str) -> actions.EditionText:
    from secretariat.negotiation.models import Amendment, SilenceProcedure

    negotiation = silence.negotiation
    with translation.override(language):
        values = {
            "title": negotiation.title,
            "revision": silence.revision.number,
            "deadline": formats.date_format(timezone.localtime(silence.deadline), "DATE_FORMAT"),
        }
        subject = _("Outcome of the silence procedure on “%(title)s”") % values
        lines = []
        if silence.state == SilenceProcedure.State.BROKEN:
            values.update(
                code=silence.broken_code,
                date=formats.date_format(
                    timezone.localtime(silence.broken_at or timezone.now()), "DATE_FORMAT"
                ),
                reason=silence.reason,
            )
            lines.append(
                _(
                    "inform the participants that the silence procedure on “%(title)s” "
                    "(revision %(revision)s) was broken by %(code)s on %(date)s with the "
                    "following objection: %(reason)s"
                )
                % values
            )
            amendments = Amendment.objects.filter(
                negotiation=negotiation,
                created_at__gte=silence.opened_at,
                status=Amendment.Status.PROPOSED,
            ).order_by("created_at")
            if amendments:
                lines.append(_("The following amendments were proposed:"))
                lines.append(
                    "\n".join(
                        f"- {a.delegation_code}, {a.paragraph_label or a.paragraph_key}: "
                        f"{' '.join((a.text or a.explanation).split())}"
                        for a in amendments
                    )
                )
        else:
            lines.append(
                _(
                    "inform the participants that the silence procedure on “%(title)s” "
                    "(revision %(revision)s) ended on %(deadline)s with no objection: the text "
                    "is adopted."
                )
                % values
            )
        statements = OutcomeStatement.objects.filter(silence=silence).select_related("delegation")
        if statements:
            lines.append(_("The following statements were filed:"))
            lines.append(
                "\n".join(
                    f"- {s.delegation.code} ({s.get_kind_display()}): {' '.join(s.text.split())}"
                    for s in statements
                )
            )
    return actions.EditionText(language, subject, "\n\n".join(lines))


def do_issue_outcome_notice(silence: Any, *, actor: Any = None) -> Note | None:
    """Issue the notice of the result of an ended or broken procedure (once; a second call
    returns the notice already issued). None while the procedure is still open."""
    from secretariat.negotiation.models import SilenceProcedure

    silence = SilenceProcedure.objects.select_related("negotiation__body", "revision").get(
        pk=silence.pk
    )
    if silence.state == SilenceProcedure.State.OPEN:
        return None
    existing = Note.objects.filter(outcome_of=silence).first()
    if existing is not None:
        return existing
    negotiation = silence.negotiation
    kind = NoteKind.TO_BODY if negotiation.body_id else NoteKind.CIRCULAR
    languages = [
        lang
        for lang in ("en", "ru")
        if NoteTemplate.objects.filter(kind=kind, language=lang).exists()
    ]
    with transaction.atomic():
        note = actions.do_create_note(
            kind=kind,
            series=_outcome_series(),
            editions=[_edition(silence, lang) for lang in languages or ["en"]],
            body=negotiation.body,
            actor=actor,
        )
        Note.objects.filter(pk=note.pk).update(outcome_of=silence)
        note = actions.do_approve_note(note, actor=actor)
        note = actions.do_issue_note(note, actor=actor)
    return note


def on_silence_ended(silence_id: int) -> Note | None:
    """The hook for the negotiation signal's receiver (run it after the ending commits)."""
    from secretariat.negotiation.models import SilenceProcedure

    silence = SilenceProcedure.objects.filter(pk=silence_id).first()
    if silence is None:
        return None
    return do_issue_outcome_notice(silence)
