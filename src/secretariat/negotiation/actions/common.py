"""What every action shares: the refusal, the lock, the state checks, the version counter."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from secretariat.accounts.models import Body, Role, User
from secretariat.negotiation import engine
from secretariat.negotiation.models import Amendment, Negotiation, Revision
from secretariat.negotiation.signals import text_changed


class ActionError(Exception):
    """A refused change; `status` is the HTTP status a view answers with."""

    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class FrozenRevision(ActionError):
    status = 409


@dataclass
class Conflict:
    """A write based on a text that changed meanwhile: both sides, and where the user's input
    was kept."""

    mine: str
    theirs: str
    kept: Amendment | None = None


def working_revision(negotiation: Negotiation) -> Revision:
    return negotiation.revisions.get(frozen=False)


def latest_issued(negotiation: Negotiation) -> Revision | None:
    return negotiation.revisions.filter(frozen=True).order_by("-number").first()


def participants(negotiation: Negotiation) -> QuerySet[User]:
    """Everyone who takes part: the body's delegations, the Chairmanship, the secretariat."""
    body = negotiation.body
    members = body.members_on() if body is not None else []
    return User.objects.filter(is_active=True).filter(
        Q(delegation__in=members, role__in=[Role.DELEGATE, Role.CONTACT_POINT, Role.COORDINATOR])
        | Q(role__in=[Role.CHAIR, Role.SECRETARIAT])
    )


def others(negotiation: Negotiation, actor: User | None) -> QuerySet[User]:
    """The participants to tell about a change, without the one who made it."""
    everyone = participants(negotiation)
    return everyone if actor is None else everyone.exclude(pk=actor.pk)


def delegation_users(negotiation: Negotiation, codes: set[str]) -> QuerySet[User]:
    qs = participants(negotiation)
    chair = negotiation.chair_code in codes
    return qs.filter(Q(delegation__code__in=codes) | (Q(role=Role.CHAIR) if chair else Q(pk=None)))


def body_of(negotiation: Negotiation) -> Body:
    """The body negotiating the text: every negotiation has one (imports require it)."""
    if negotiation.body is None:
        raise ActionError(_("This negotiation belongs to no body."), status=409)
    return negotiation.body


def locked(negotiation: Negotiation) -> Negotiation:
    """The negotiation row, locked until the end of the transaction (one writer at a time)."""
    return Negotiation.objects.select_for_update().get(pk=negotiation.pk)


def require_open(negotiation: Negotiation) -> None:
    if negotiation.state != Negotiation.State.NEGOTIATING:
        raise ActionError(
            _("The text is %(state)s: it cannot be changed now.")
            % {"state": negotiation.get_state_display()},
            status=409,
        )


def bump_version(negotiation: Negotiation) -> None:
    """Count a change the podium and stale-write checks must see (text, state or body)."""
    Negotiation.objects.filter(pk=negotiation.pk).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    negotiation.refresh_from_db(fields=["version", "changed_at"])


def set_working_text(negotiation: Negotiation, revision: Revision, text: str) -> None:
    revision.notation = text
    draft = engine.parse_text(text)
    revision.parsed = engine.structure(draft)
    revision.summary = engine.summary(draft).as_json()
    revision.save(update_fields=["notation", "parsed", "summary"])
    bump_version(negotiation)
    text_changed.send(sender=Negotiation, negotiation_id=negotiation.pk)


def paragraph_of(revision: Revision, key: str) -> engine.Paragraph:
    """The paragraph `key` of a revision; a 404 refusal if the text has no such paragraph."""
    try:
        return engine.draft_of(revision).paragraph(key)
    except engine.UnknownParagraph:
        raise ActionError(
            _("There is no paragraph %(key)s in the current text.") % {"key": key}, status=404
        ) from None


def require_negotiable(revision: Revision, key: str) -> engine.Paragraph:
    """The paragraph `key` of a revision, refused if it is a title or a heading: nobody
    negotiates those, so they take no amendment, position, comment or resolve (the forms are
    hidden; this refuses a post made without them)."""
    draft = engine.draft_of(revision)
    for p, level in zip(draft.paragraphs, engine.heading_levels(draft), strict=True):
        if p.key != key:
            continue
        if level:
            raise ActionError(
                _(
                    "“%(words)s” is a title or a heading, not a paragraph of text: it takes no "
                    "amendments, positions, comments or resolves."
                )
                % {"words": _excerpt(p.text) or key}
            )
        return p
    return paragraph_of(revision, key)  # the refusal for a key that is not in the text


def _excerpt(text: str, words: int = 8) -> str:
    bare = " ".join(text.replace("*", " ").split())
    head = bare.split()[:words]
    return " ".join(head) + ("…" if len(bare.split()) > words else "")


def require_all_agreed(revision: Revision) -> None:
    open_ = [p.label or p.key for p in engine.draft_of(revision).paragraphs if not p.agreed]
    if open_:
        raise ActionError(
            _("Not every paragraph is agreed yet (still open: %(labels)s).")
            % {"labels": ", ".join(open_[:12])},
            status=409,
        )
