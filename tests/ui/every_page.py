"""The list of every page of the product, built from the URL conf, with the objects that fill
each route's parameters.

Every named route of the URL conf is either a page (its parameters filled by `FILL` from the
objects `build_objects` finds or creates) or listed in `SKIP` with the reason it is no page
(a POST-only action, a download, a feed, JSON). A route in neither fails
`test_every_route_is_a_page_or_skipped_with_a_reason`, saying what to add, so a page that a
later change adds is checked in both viewports and every language without touching the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# --- routes that are no page ---------------------------------------------------------------
POST_ONLY = "POST-only action (a GET answers 405)"
DOWNLOAD = "file download, no HTML page"
FEED = "Atom/iCalendar feed, no HTML page"
JSON = "JSON answer for scripts, no HTML page"
FRAGMENT = "htmx fragment or stream inside another page (checked as part of that page)"

SKIP: dict[str, str] = {
    "logout": POST_ONLY,
    "switch-language": POST_ONLY,
    "login": "the sign-in page: checked signed out by test_signed_out_pages",
    "twofactor-verify": "the second sign-in step: reached only half signed in (2FA tests)",
    "oidc_authentication_init": "leaves for the identity provider (redirect)",
    "oidc_authentication_callback": "answers the identity provider (redirect)",
    "securitykey-register-begin": JSON,
    "securitykey-register-complete": JSON,
    "securitykey-auth-begin": JSON,
    "securitykey-auth-complete": JSON,
    "securitykey-remove": POST_ONLY,
    "session-end": POST_ONLY,
    "sessions-end-others": POST_ONLY,
    "twofactor-reset": POST_ONLY,
    "sessions-end-all": POST_ONLY,
    "notifications:mark-read": POST_ONLY,
    "notifications:follow": POST_ONLY,
    "outbox:retry": POST_ONLY,
    "documents:download": DOWNLOAD,
    "documents:status": POST_ONLY,
    "documents:discard-pending": POST_ONLY,
    "archive:public-download": DOWNLOAD,
    "archive:feed": FEED,
    "negotiation:map-code": POST_ONLY,
    "negotiation:comment": POST_ONLY,
    "negotiation:position": POST_ONLY,
    "negotiation:withdraw-position": POST_ONLY,
    "negotiation:withdraw-amendment": POST_ONLY,
    "negotiation:resubmit-amendment": POST_ONLY,
    "negotiation:edit": POST_ONLY,
    "negotiation:resolve": POST_ONLY,
    "negotiation:undo-resolve": POST_ONLY,
    "negotiation:edition-paragraph": (
        "one edition paragraph's form, opened from the editions page for a paragraph number the "
        "demo's editions decide: tests/negotiation/test_negotiation_editions.py renders it"
    ),
    "account-email-confirm": (
        "needs the token of a confirmation mail: tests/outbox/test_email_change_mail.py follows it"
    ),
    "password_reset_confirm": (
        "needs the token of a reset mail: tests/outbox/test_password_reset_mail.py follows it"
    ),
    "negotiation:revision-txt": DOWNLOAD,
    "negotiation:revision-docx": DOWNLOAD,
    "negotiation:ad-ref": POST_ONLY,
    "negotiation:forward": POST_ONLY,
    "negotiation:silence-open": POST_ONLY,
    "negotiation:silence-break": POST_ONLY,
    "negotiation:adopt": POST_ONLY,
    "negotiation:podium-version": JSON,
    "negotiation:podium-text": FRAGMENT,
    "negotiation:podium-stream": FRAGMENT,
    "negotiation:activity": FRAGMENT,
    "negotiation:agreed": FRAGMENT,
    "negotiation:paragraph": FRAGMENT,
    "archive:coverage": FRAGMENT,
    "archive:paragraph-precedents": FRAGMENT,
    "communications:preview": POST_ONLY,
    "communications:enclose": POST_ONLY,
    "communications:unenclose": POST_ONLY,
    "communications:approve": POST_ONLY,
    "communications:reopen": POST_ONLY,
    "communications:issue": POST_ONLY,
    "communications:acknowledge": POST_ONLY,
    "communications:pdf": DOWNLOAD,
    "communications:incoming-file": DOWNLOAD,
    "communications:public-pdf": DOWNLOAD,
    "communications:public-feed": FEED,
    "programme:join": POST_ONLY,
    "programme:leave": POST_ONLY,
    "programme:milestone": POST_ONLY,
    "programme:upload-report": POST_ONLY,
    "programme:set-cycle": POST_ONLY,
    "programme:propose": POST_ONLY,
    "programme:publish": POST_ONLY,
    "programme:public-feed": FEED,
    "board:attachment": DOWNLOAD,
    "board:reply": POST_ONLY,
    "board:thread-state": POST_ONLY,
    "board:thread-move": POST_ONLY,
    "board:post-flag": POST_ONLY,
    "board:post-hide": POST_ONLY,
    "board:post-dismiss": POST_ONLY,
    "meetings:status": POST_ONLY,
    "meetings:publish": POST_ONLY,
    "meetings:item-move": POST_ONLY,
    "meetings:item-attach": POST_ONLY,
    "meetings:item-negotiation": POST_ONLY,
    "meetings:item-floor": POST_ONLY,
    "meetings:item-speaker": POST_ONLY,
    "meetings:item-statement": POST_ONLY,
    "meetings:item-time": POST_ONLY,
    "meetings:documents-zip": DOWNLOAD,
    "meetings:register": POST_ONLY,
    "meetings:accredit": POST_ONLY,
    "meetings:approve": POST_ONLY,
    "meetings:originals": POST_ONLY,
    "meetings:participants-docx": DOWNLOAD,
    "meetings:participants-pdf": DOWNLOAD,
    "meetings:record": POST_ONLY,
    "meetings:record-circulate": POST_ONLY,
    "meetings:record-final": POST_ONLY,
    "meetings:record-comment": POST_ONLY,
    "meetings:decision": POST_ONLY,
    "meetings:decision-link": POST_ONLY,
    "meetings:tasking": POST_ONLY,
    "meetings-calendar:rotate": POST_ONLY,
    "meetings-calendar:feed": FEED,
    "meetings-calendar:body-feed": FEED,
    "api:token-revoke": POST_ONLY,
    "documents:upload-version": POST_ONLY,
    "meetings:convene": POST_ONLY,
    "meetings:convening-note": POST_ONLY,
    "meetings:item-add": POST_ONLY,
    "negotiation:amend": POST_ONLY,
    "twofactor-recovery-codes": POST_ONLY,
    "favicon": "the icon (an image), no HTML page",
    "javascript-catalog": "the scripts' translation catalogue (JavaScript), no HTML page",
    "section": "redirects to the first page of a navigation section",
    "securitykey-added": "redirects unless a key was just added in this session",
}
# Whole namespaces: Django's admin is Django's own screens (translated and maintained by
# Django, for the secretariat's maintenance work); the REST API answers JSON, and its docs
# page is Swagger UI as django-ninja ships it.
SKIP_NAMESPACES: dict[str, str] = {
    "admin": "Django's own admin screens (Django's templates and translations)",
    "api-1": "the REST API: JSON, and django-ninja's Swagger UI page",
}


def skip_reason(name: str) -> str | None:
    if name in SKIP:
        return SKIP[name]
    namespace = name.split(":", 1)[0] if ":" in name else ""
    return SKIP_NAMESPACES.get(namespace)


# --- every named route ---------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    name: str  # "documents:detail"
    pattern: str  # "documents/<int:pk>/"
    params: tuple[str, ...]  # ("pk",)


def _walk(patterns: list[Any], prefix: str, names: str) -> Iterator[Route]:
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = f"{names}{p.namespace}:" if p.namespace else names
            yield from _walk(p.url_patterns, route, ns)
        elif isinstance(p, URLPattern) and p.name:
            converters = getattr(p.pattern, "converters", {})
            yield Route(f"{names}{p.name}", route, tuple(converters))


def all_routes() -> list[Route]:
    """Every named route of the URL conf, once per name (the first one reverse() builds)."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns, "", ""):
        seen.setdefault(route.name, route)
    return list(seen.values())


def page_routes() -> list[Route]:
    return [r for r in all_routes() if skip_reason(r.name) is None]


# --- the objects that fill the parameters --------------------------------------------------
@dataclass
class Objects:
    """Objects of the demo forum (plus the few `build_objects` adds) that pages show."""

    values: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


Fill = Callable[[Objects], dict[str, Any]]

FILL: dict[str, Fill] = {
    "account-user-security": lambda o: {"pk": o.delegate.pk},
    "outbox:unsubscribe": lambda o: {"token": o.unsubscribe_token},
    "notices:detail": lambda o: {"pk": o.notice.pk},
    "notices:edit": lambda o: {"pk": o.notice.pk},
    "documents:detail": lambda o: {"pk": o.document.pk},
    "archive:public-detail": lambda o: {"pk": o.public_document.pk},
    "negotiation:import-status": lambda o: {"pk": o.import_job.pk},
    "negotiation:detail": lambda o: {"pk": o.negotiation.pk},
    "negotiation:source": lambda o: {"pk": o.negotiation.pk},
    "negotiation:compile": lambda o: {"pk": o.negotiation.pk},
    "negotiation:revisions": lambda o: {"pk": o.negotiation.pk},
    "negotiation:revision": lambda o: {"pk": o.negotiation.pk, "number": o.revision.number},
    "negotiation:compare": lambda o: {"pk": o.negotiation.pk},
    "negotiation:sheet": lambda o: {"pk": o.negotiation.pk},
    "negotiation:dashboard": lambda o: {"pk": o.negotiation.pk},
    "negotiation:decisions": lambda o: {"pk": o.negotiation.pk},
    "negotiation:editions": lambda o: {"pk": o.negotiation.pk},
    "negotiation:edition-upload": lambda o: {"pk": o.negotiation.pk},
    "negotiation:translation-queue": lambda o: {"language": "ru"},
    "negotiation:podium": lambda o: {"pk": o.negotiation.pk},
    "communications:detail": lambda o: {"pk": o.note.pk},
    "communications:edit": lambda o: {"pk": o.note.pk},
    "communications:incoming-detail": lambda o: {"pk": o.incoming_note.pk},
    "communications:template-edit": lambda o: {"pk": o.note_template.pk},
    "communications:public-detail": lambda o: {"pk": o.note.pk},
    "communications:silence-statement": lambda o: {"pk": o.silence.pk},
    "programme:revise": lambda o: {"pk": o.programme.pk},
    "programme:initiative": lambda o: {"pk": o.initiative.pk},
    "programme:manage": lambda o: {"pk": o.initiative.pk},
    "programme:guidance": lambda o: {"pk": o.mandate.pk},
    "board:confirm": lambda o: {"token": o.mailed_thread.token},
    "board:passage-new": lambda o: {
        "document_id": o.document.pk,
        "number": o.paragraph.number,
    },
    "board:negotiation-passage-new": lambda o: {
        "negotiation_id": o.negotiation.pk,
        "key": o.paragraph_key,
    },
    "board:thread": lambda o: {"pk": o.thread.pk},
    "board:post-edit": lambda o: {"pk": o.post.pk},
    "board:post-history": lambda o: {"pk": o.post.pk},
    "board:board": lambda o: {"code": o.board.code},
    "board:thread-new": lambda o: {"code": o.board.code},
    "meetings:detail": lambda o: {"pk": o.meeting.pk},
    "meetings:edit": lambda o: {"pk": o.meeting.pk},
    "meetings:edition": lambda o: {"pk": o.meeting.pk, "number": o.agenda_edition.number},
    "meetings:item": lambda o: {"pk": o.meeting.pk, "item_pk": o.agenda_item.pk},
    "meetings:registration": lambda o: {"pk": o.meeting.pk},
    "meetings:participants": lambda o: {"pk": o.meeting.pk},
    "meetings:seating": lambda o: {"pk": o.meeting.pk},
    "meetings:body-decisions": lambda o: {"code": o.meeting.body.code},
}


def url_of(route: Route, objects: Objects) -> str:
    """The path of one page of `route`; fails saying what to add when the route has
    parameters that nothing fills."""
    if not route.params:
        return reverse(route.name)
    fill = FILL.get(route.name)
    if fill is None:
        raise LookupError(
            f"route {route.name!r} ({route.pattern}) has parameters {route.params} and no way "
            "to fill them: add an entry to FILL in tests/ui/every_page.py (and the object it "
            "needs to build_objects), or to SKIP with the reason it is no page"
        )
    return reverse(route.name, kwargs=fill(objects))


AGREED_TEXT = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. We hereby launch the negotiations process.
"""


def build_objects() -> Objects:
    """After the demo is loaded: pick one object of each kind the pages show, and create the
    few kinds the demo has none of (a notice, a silence procedure, an import in progress, a
    mailed thread waiting for confirmation), through the product's own actions."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from secretariat.accounts.models import AccessLevel, User
    from secretariat.board.models import Board, MailedThread, Post, Thread
    from secretariat.communications.models import IncomingNote, Note, NoteTemplate
    from secretariat.documents.models import Document, Paragraph
    from secretariat.meetings.models import AgendaEdition, AgendaItem, Meeting
    from secretariat.negotiation.actions import do_import_negotiation, do_queue_import
    from secretariat.negotiation.actions.silence import do_open_silence
    from secretariat.negotiation.models import Negotiation, Revision
    from secretariat.notices.actions import do_post_notice
    from secretariat.outbox import api as outbox
    from secretariat.programme.models import Initiative, Mandate, WorkProgramme

    secretariat = User.objects.get(username="secretariat")
    delegate = User.objects.get(username="ind")
    members = AccessLevel.MEMBERS
    document = Document.objects.filter(access_level=members).order_by("pk").first()
    public = Document.objects.filter(access_level=AccessLevel.PUBLIC).order_by("pk").first()
    paragraph = Paragraph.objects.filter(version__document=document).order_by("pk")[3]
    negotiation = Negotiation.objects.order_by("pk").first()
    assert negotiation is not None and document is not None and public is not None
    revision = Revision.objects.filter(negotiation=negotiation).order_by("-number").first()
    assert revision is not None
    body = negotiation.body
    # An agreed text under silence procedure (the demo's drafts are still bracketed).
    agreed = do_import_negotiation(
        title="Draft statement on confidence-building measures",
        body=body,
        text=AGREED_TEXT,
        actor=secretariat,
    )
    silence = do_open_silence(
        agreed, deadline=timezone.now() + timedelta(days=3), actor=secretariat
    )
    notice = do_post_notice(
        title="Closure of the Secretariat on 4 December",
        text="The Secretariat will be closed on 4 December.",
        access_level=members,
        body=None,
        actor=secretariat,
    )
    import_job = do_queue_import(
        title="Draft statement (import in progress)",
        body=body,
        text="PP1. Recognizing the importance of cooperation;\n\nOP1. We decide.\n",
        actor=secretariat,
    )
    board = Board.objects.filter(access_level=members).order_by("pk").first() or (
        Board.objects.order_by("pk").first()
    )
    mailed = MailedThread.objects.create(
        token=secrets.token_urlsafe(32),
        board=board,
        user=delegate,
        subject="Question on the draft",
        text="Dear colleagues, a question on PP2.",
    )
    thread = Thread.objects.order_by("pk").first()
    values: dict[str, Any] = {
        "delegate": delegate,
        "unsubscribe_token": outbox.unsubscribe_token(delegate, "documents"),
        "notice": notice,
        "document": document,
        "public_document": public,
        "paragraph": paragraph,
        "negotiation": negotiation,
        "paragraph_key": negotiation_paragraph_key(negotiation),
        "revision": revision,
        "silence": silence,
        "import_job": import_job,
        "note": Note.objects.order_by("pk").first(),
        "incoming_note": IncomingNote.objects.order_by("pk").first(),
        "note_template": NoteTemplate.objects.order_by("pk").first(),
        "programme": WorkProgramme.objects.order_by("pk").first(),
        "initiative": Initiative.objects.filter(access_level=members).order_by("pk").first()
        or Initiative.objects.order_by("pk").first(),
        "mandate": Mandate.objects.order_by("pk").first(),
        "mailed_thread": mailed,
        "thread": thread,
        "post": Post.objects.filter(thread=thread).order_by("pk").first(),
        "board": board,
        "meeting": Meeting.objects.order_by("pk").first(),
        "agenda_edition": AgendaEdition.objects.order_by("pk").first(),
        "agenda_item": AgendaItem.objects.order_by("pk").first(),
    }
    missing = [k for k, v in values.items() if v is None]
    assert missing == [], f"the demo has no {missing}: create them in build_objects"
    return Objects(values)


def negotiation_paragraph_key(negotiation: Any) -> str:
    """The key of a paragraph of the working text with brackets (the richest workspace
    row), else the third paragraph."""
    from secretariat.negotiation import engine
    from secretariat.negotiation.actions.common import working_revision

    draft = engine.draft_of(working_revision(negotiation))
    keys = [p.key for p in draft.paragraphs]
    bracketed = [p.key for p in draft.paragraphs if p.brackets or p.positions]
    return (bracketed or keys[min(2, len(keys) - 1) :])[0]
