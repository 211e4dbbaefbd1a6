from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.access import get_object_for
from secretariat.accounts.models import User
from secretariat.notifications.access import readable
from secretariat.notifications.actions import (
    DEFAULT_DIGEST_HOUR,
    do_follow,
    do_mark_read,
    do_update_notification_settings,
    modes_for_all,
)
from secretariat.notifications.forms import FollowForm, MarkReadForm, NotificationSettingsForm
from secretariat.notifications.models import DigestSchedule, Mode, Notification


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # LoginRequiredMiddleware guards every page here
    return user


def notification_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    notifications = Notification.objects.filter(user=user).select_related("target_type")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    items = readable(user, page.object_list)
    return render(request, "notifications/list.html", {"items": items, "page": page})


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    one = form.cleaned_data["id"]
    do_mark_read(_user(request), [one] if one else None)
    return redirect("notifications:list")


def notification_settings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    schedule = DigestSchedule.objects.filter(user=user).first()
    initial: dict[str, object] = {f"mode_{c}": m for c, m in modes_for_all(user).items()} | {
        "digest_hour": schedule.hour if schedule else DEFAULT_DIGEST_HOUR,
        "time_zone": user.time_zone,
    }
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        do_update_notification_settings(
            user,
            modes=form.modes(),
            digest_hour=form.cleaned_data["digest_hour"],
            time_zone=form.cleaned_data["time_zone"],
            actor=user,
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "modes": Mode.choices})


FOLLOWABLE = {"documents.document", "negotiation.negotiation"}


@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if not form.is_valid() or form.cleaned_data["target"] not in FOLLOWABLE:
        raise Http404
    try:
        model = apps.get_model(form.cleaned_data["target"])
    except LookupError:
        raise Http404 from None
    obj = get_object_for(request, model, audit_view=False, pk=form.cleaned_data["object_id"])
    do_follow(_user(request), obj, follow=form.cleaned_data["follow"])
    next_url = form.cleaned_data["next"]
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/")
