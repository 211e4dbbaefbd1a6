from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from secretariat.accounts import access
from secretariat.notices.access import can_post_notice
from secretariat.notices.actions import do_edit_notice, do_post_notice
from secretariat.notices.forms import NoticeForm
from secretariat.notices.models import Notice


def notice_list(request: HttpRequest) -> HttpResponse:
    notices = access.visible(request.user, Notice.objects.select_related("body", "created_by"))
    page = Paginator(notices, 25).get_page(request.GET.get("page"))
    return render(
        request, "notices/list.html", {"page": page, "can_post": can_post_notice(request.user)}
    )


def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_object_for(request, Notice.objects.select_related("body"), pk=pk)
    return render(
        request,
        "notices/detail.html",
        {
            "notice": notice,
            "can_edit": access.can_edit(request.user, notice),
            "revisions": notice.revisions.select_related("edited_by"),
        },
    )


def notice_new(request: HttpRequest) -> HttpResponse:
    if not can_post_notice(request.user):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notice = do_post_notice(**form.cleaned_data, actor=request.user, request=request)
        messages.success(request, _("Notice posted."))
        return redirect(notice)
    return render(request, "notices/form.html", {"form": form}, status=400 if form.errors else 200)


def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = access.get_object_for(request, Notice, write=True, pk=pk)
    initial = {
        "title": notice.title,
        "text": notice.text,
        "access_level": notice.access_level,
        "body": notice.body,
    }
    form = NoticeForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        do_edit_notice(notice, **form.cleaned_data, actor=request.user, request=request)
        messages.success(request, _("Notice updated."))
        return redirect(notice)
    return render(
        request,
        "notices/form.html",
        {"form": form, "notice": notice},
        status=400 if form.errors else 200,
    )
