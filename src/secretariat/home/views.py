from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from secretariat.accounts.access import is_secretariat, scope_key
from secretariat.accounts.http import AuthedHttpRequest
from secretariat.accounts.models import User
from secretariat.core import fragments
from secretariat.core.audit_labels import action_label, object_type_label
from secretariat.core.limits import query_text
from secretariat.core.models import AuditEvent
from secretariat.core.providers import provider_modules
from secretariat.core.reaper import stuck_report
from secretariat.home import sections
from secretariat.notifications.access import readable


def _whats_new(user: User) -> list[dict[str, Any]]:
    """Each installed app may offer `dashboard.whats_new(user)`: a titled list of recent items
    the user may see (already filtered by the access policy). Each item has `text` (its own
    title), `url`, `meta`, and `lang` (the text's language) when the app knows it."""
    blocks: list[dict[str, Any]] = []
    for module in provider_modules("dashboard"):
        blocks.extend(module.whats_new(user))
    return blocks


def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    # The same rule as the notification centre: one about an object the user may no longer
    # see is not shown.
    notifications = readable(
        request.user,
        request.user.notifications.filter(read_at__isnull=True).select_related("target_type")[:10],
    )
    # The secretariat answers for the background work: overdue deadlines, tasks a dead worker
    # left behind, failed tasks, or no worker at all are shown to it, and only when they exist.
    tasks = None
    if is_secretariat(request.user):
        report = stuck_report()
        if not report.is_empty or report.live_workers == 0:
            tasks = report
    # The apps' blocks are cached (`{% cache %}` in the template) per reader: the board's
    # leaves out the reader's own posts. They are computed only when the cache misses.
    user = request.user
    return render(
        request,
        "home/dashboard.html",
        {
            "notifications": notifications,
            "blocks": SimpleLazyObject(lambda: _whats_new(user)),
            "blocks_key": fragments.key("dashboard", user.pk, scope_key(user)),
            "blocks_seconds": DASHBOARD_SECONDS,
            "tasks": tasks,
        },
    )


# Bounds what no change counts: the meetings block's "coming" moves with the clock.
DASHBOARD_SECONDS = 60


def section(request: HttpRequest, slug: str) -> HttpResponse:
    found = sections.find(slug)
    if found is None:
        raise Http404
    url, built = sections.section_url(found)
    if built:  # an old link to a section whose app has landed since
        return HttpResponseRedirect(url)
    return render(request, "home/section.html", {"section": found}, status=200)


@login_not_required
@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Like Django's set_language, and the choice is kept on the account for mail and next login."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response


def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_secretariat(request.user):
        raise Http404
    events = AuditEvent.objects.all()
    filters = {
        "actor": query_text(request.GET.get("actor", ""), 150),
        "action": query_text(request.GET.get("action", ""), 64),
        "object_type": query_text(request.GET.get("object_type", ""), 64),
        "since": request.GET.get("since", "").strip(),
        "until": request.GET.get("until", "").strip(),
    }
    if filters["actor"]:
        events = events.filter(actor_name__icontains=filters["actor"])
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["object_type"]:
        events = events.filter(object_type=filters["object_type"])
    for key, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        try:
            day = date.fromisoformat(filters[key]) if filters[key] else None
        except ValueError:
            day, filters[key] = None, ""
        if day is not None:
            events = events.filter(**{lookup: day})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for e in page:
        # Codes are stored; the reader sees names in their language.
        e.action_label = action_label(e.action)  # type: ignore[attr-defined]
        e.object_type_label = object_type_label(e.object_type)  # type: ignore[attr-defined]
    actions = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    types = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
    return render(
        request,
        "home/audit.html",
        {
            "page": page,
            "filters": filters,
            "actions": sorted(((a, action_label(a)) for a in actions), key=lambda r: r[1]),
            "object_types": sorted(
                ((t, object_type_label(t)) for t in types if t), key=lambda r: r[1]
            ),
        },
    )


@login_not_required
@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and bookmark tools ask for whatever the page's <link> says:
    the static icon itself (the same one base.html links), never a 404 in the log."""
    path = finders.find("favicon.ico")
    if not isinstance(path, str):
        raise Http404
    with open(path, "rb") as icon:
        return HttpResponse(icon.read(), content_type="image/x-icon")
