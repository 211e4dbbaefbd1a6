"""Silence procedures: the agreed text is adopted at the deadline unless a delegation objects."""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import User
from secretariat.negotiation.actions.common import ActionError, body_of, locked, participants
from secretariat.negotiation.actions.decisions import DECIDABLE, adopt, decision_basis, set_state
from secretariat.negotiation.models import Decision, Negotiation, SilenceProcedure
from secretariat.negotiation.signals import silence_ended
from secretariat.negotiation.tasks import end_silence_procedure
from secretariat.notifications.actions import notify


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.get_default_timezone()


def do_open_silence(
    negotiation: Negotiation,
    *,
    deadline: datetime,
    time_zone: str = "UTC",
    actor: User | None,
) -> SilenceProcedure:
    """Circulate the agreed text under silence until `deadline`; the worker adopts it then
    unless a delegation breaks silence first."""
    if timezone.is_naive(deadline):
        raise ActionError(_("The deadline needs a time zone."))
    if deadline <= timezone.now():
        raise ActionError(_("The deadline must be in the future."))
    with transaction.atomic():
        negotiation, revision = decision_basis(
            negotiation,
            states=DECIDABLE,
            refusal=_("A silence procedure cannot be opened now."),
            issue_note=_("text under silence procedure"),
            actor=actor,
        )
        silence = SilenceProcedure.objects.create(
            negotiation=negotiation,
            revision=revision,
            deadline=deadline,
            time_zone=time_zone,
            opened_by=actor,
        )
        set_state(
            negotiation,
            Negotiation.State.SILENCE,
            actor,
            silence=silence.pk,
            deadline=deadline.isoformat(),
        )
        end_silence_procedure.using(run_after=deadline).enqueue(silence.pk)
        notify(
            participants(negotiation),
            "negotiation.silence.opened",
            params={
                "title": negotiation.title,
                "deadline": deadline.isoformat(),
                "time_zone": time_zone,
            },
            url=negotiation.get_absolute_url(),
            key=f"neg-silence-open-{silence.pk}",
            target=negotiation,
        )
    return silence


def do_break_silence(
    silence: SilenceProcedure,
    *,
    reason: str,
    code: str,
    actor: User | None,
) -> SilenceProcedure:
    """A delegation objects before the deadline: the text returns to negotiation."""
    if not reason.strip():
        raise ActionError(_("Breaking silence needs a written reason."))
    with transaction.atomic():
        negotiation = locked(silence.negotiation)
        silence = SilenceProcedure.objects.select_for_update().get(pk=silence.pk)
        if silence.state != SilenceProcedure.State.OPEN:
            raise ActionError(_("This silence procedure is no longer open."), status=409)
        if timezone.now() >= silence.deadline:
            raise ActionError(
                _("The deadline has passed: silence can no longer be broken."), status=409
            )
        silence.state = SilenceProcedure.State.BROKEN
        silence.broken_by = actor
        silence.broken_code = code
        silence.broken_at = timezone.now()
        silence.reason = reason.strip()
        silence.save()
        set_state(
            negotiation,
            Negotiation.State.NEGOTIATING,
            actor,
            silence=silence.pk,
            broken_by=code,
            reason=silence.reason,
        )
        notify(
            participants(negotiation),
            "negotiation.silence.broken",
            params={"code": code, "title": negotiation.title, "reason": silence.reason[:200]},
            url=negotiation.get_absolute_url(),
            key=f"neg-silence-broken-{silence.pk}",
            target=negotiation,
        )
        silence_ended.send(sender=SilenceProcedure, silence_id=silence.pk)
    return silence


def do_end_silence(silence_id: int) -> bool:
    """Run by the worker at the deadline: adopt the text if silence held. Idempotent: an
    ended, broken or not yet due procedure is left alone. Returns whether it adopted."""
    with transaction.atomic():
        silence = (
            SilenceProcedure.objects.select_for_update()
            .filter(pk=silence_id)
            .select_related("negotiation")
            .first()
        )
        if silence is None or silence.state != SilenceProcedure.State.OPEN:
            return False
        if silence.deadline > timezone.now():
            return False
        negotiation = locked(silence.negotiation)
        silence.state = SilenceProcedure.State.ENDED
        silence.save(update_fields=["state"])
        decision = Decision.objects.create(
            negotiation=negotiation,
            kind=Decision.Kind.ADOPTED_BY_SILENCE,
            revision=silence.revision,
            body=body_of(negotiation),
            note=_("No delegation broke silence before the deadline."),
        )
        adopt(negotiation, decision, None)
        notify(
            participants(negotiation),
            "negotiation.silence.ended",
            params={"title": negotiation.title},
            url=negotiation.get_absolute_url(),
            key=f"neg-silence-ended-{silence.pk}",
            target=negotiation,
        )
        silence_ended.send(sender=SilenceProcedure, silence_id=silence.pk)
    return True
