"""Language editions: the source beside up to three editions, paragraph against paragraph;
loading an edition; the translators' queue and one paragraph's update."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from secretariat.negotiation import access, actions, editions
from secretariat.negotiation.forms import (
    EditionParagraphForm,
    EditionUploadForm,
    TranslatorAssignmentForm,
)
from secretariat.negotiation.models import (
    EDITION_LANGUAGES,
    Edition,
    EditionParagraph,
    TranslatorAssignment,
)
from secretariat.negotiation.views.common import base_context, page_change

MAX_SIDE_BY_SIDE = 3
LANGUAGE_NAMES = dict(EDITION_LANGUAGES)


def editions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest issued revision beside the chosen editions (``?lang=ru&lang=kk``, at most
    three), brackets and positions rendered in each, lag and parity flagged per cell."""
    negotiation = access.get_negotiation_for(request, pk)
    available = list(negotiation.editions.all())
    wanted = [x for x in request.GET.getlist("lang") if x in LANGUAGE_NAMES][:MAX_SIDE_BY_SIDE]
    chosen = [e for e in available if e.language in wanted] if wanted else available[:2]
    view = editions.side_by_side(negotiation, chosen)
    ctx = base_context(request, negotiation)
    ctx.update(
        {
            "view": view,
            "available": available,
            "chosen": [e.language for e in chosen],
            "counts": view.counts(),
            "can_translate": access.can_translate(request.user, negotiation),
            "translate_languages": access.translator_languages(request.user, negotiation),
            "form": EditionUploadForm(),
        }
    )
    return render(request, "negotiation/editions.html", ctx)


def edition_upload(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = access.get_negotiation_for(request, pk)
    access.require_translate(request, negotiation)
    if request.method != "POST":
        return redirect("negotiation:editions", pk=pk)
    form = EditionUploadForm(request.POST, request.FILES)

    def act() -> Edition:
        return actions.do_load_edition(
            negotiation,
            language=form.cleaned_data["language"],
            text=form.cleaned_data["text"],
            actor=access.user_of(request),
        )

    def respond(edition: Edition) -> HttpResponse:
        messages.success(request, _("The edition was loaded and aligned with the source."))
        url = redirect("negotiation:editions", pk=pk).url
        return redirect(f"{url}?lang={edition.language}")

    return page_change(request, negotiation, form, act, respond)


def _row_for(request: HttpRequest, pk: int, language: str, number: int) -> EditionParagraph:
    negotiation = access.get_negotiation_for(request, pk)
    access.require_translate(request, negotiation, language)
    return get_object_or_404(
        EditionParagraph.objects.select_related("edition__negotiation"),
        edition__negotiation=negotiation,
        edition__language=language,
        number=number,
    )


def edition_paragraph(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponse:
    """A translator's update of one paragraph: the source now, what changed since the
    translated revision, and the edition's text to rewrite."""
    row = _row_for(request, pk, language, number)
    negotiation = row.edition.negotiation
    form = EditionParagraphForm(request.POST or None, initial={"notation": row.notation})
    view = editions.side_by_side(negotiation, [row.edition])
    cell, source_row = None, None
    for r in view.rows:
        if any(x.pk == row.pk for x in r.cells[0].rows):
            cell, source_row = r.cells[0], r
            break
    ctx: dict[str, Any] = base_context(request, negotiation)
    ctx.update(
        {
            "row": row,
            "cell": cell,
            "source_row": source_row,
            "form": form,
            "history": editions.paragraph_history(row.edition, row.number),
        }
    )
    if request.method != "POST":
        return render(request, "negotiation/edition_paragraph.html", ctx)

    def act() -> EditionParagraph:
        return actions.do_update_edition_paragraph(
            row, notation=form.cleaned_data["notation"], actor=access.user_of(request)
        )

    def respond(updated: EditionParagraph) -> HttpResponse:
        messages.success(request, _("The paragraph was updated."))
        return redirect("negotiation:translation-queue", language=language)

    return page_change(
        request,
        negotiation,
        form,
        act,
        respond,
        template="negotiation/edition_paragraph.html",
        context=ctx,
    )


def translation_queue(request: HttpRequest, language: str) -> HttpResponse:
    """Per language: every paragraph to translate or update, in the negotiations the user
    may read (the secretariat's translators)."""
    if language not in LANGUAGE_NAMES:
        raise Http404
    mine = access.translator_languages(request.user)
    if language not in mine:
        raise PermissionDenied
    items = editions.queue_flags(access.translation_negotiations(request.user, language), language)
    numbers = dict(
        EditionParagraph.objects.filter(
            pk__in=[pk for item in items for pk in item.get("rows", [])]
        ).values_list("pk", "number")
    )
    for item in items:
        item["numbers"] = [numbers[pk] for pk in item.get("rows", []) if pk in numbers]
    return render(
        request,
        "negotiation/translation_queue.html",
        {
            "items": items,
            "language": language,
            "language_name": LANGUAGE_NAMES[language],
            "languages": [(code, name) for code, name in EDITION_LANGUAGES if code in mine],
            "can_assign": access.is_translation_manager(request.user),
        },
    )


def translators_page(request: HttpRequest) -> HttpResponse:
    """The secretariat's managers assign translators per language, per negotiation or
    forum-wide, and end assignments."""
    if not access.is_translation_manager(request.user):
        raise PermissionDenied
    actor = access.user_of(request)
    form = TranslatorAssignmentForm(request.POST or None, user=actor)
    if request.method == "POST":
        if "remove" in request.POST:
            raw = request.POST.get("remove", "")
            if not (raw.isascii() and raw.isdigit() and len(raw) < 12):
                raise Http404
            assignment = get_object_or_404(TranslatorAssignment, pk=int(raw))
            actions.do_unassign_translator(assignment, actor=actor)
            messages.success(request, _("The assignment was ended."))
            return redirect("negotiation:translators")
        if form.is_valid():
            try:
                actions.do_assign_translator(
                    translator=form.cleaned_data["translator"],
                    language=form.cleaned_data["language"],
                    negotiation=form.cleaned_data["negotiation"],
                    actor=actor,
                )
            except actions.ActionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The translator was assigned."))
                return redirect("negotiation:translators")
    assignments = TranslatorAssignment.objects.select_related(
        "translator", "negotiation", "assigned_by"
    ).filter(
        Q(negotiation__isnull=True) | Q(negotiation__in=access.visible_negotiations(request.user))
    )
    return render(
        request,
        "negotiation/translators.html",
        {"form": form, "assignments": assignments, "languages": EDITION_LANGUAGES},
    )
