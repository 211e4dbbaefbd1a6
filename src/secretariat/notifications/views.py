from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from secretariat.notifications.actions import do_mark_read


def notification_list(request: HttpRequest) -> HttpResponse:
    items = request.user.notifications.all()[:200]
    return render(request, "notifications/list.html", {"items": items})


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    do_mark_read(request.user)
    return redirect("notifications:list")
