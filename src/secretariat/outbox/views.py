from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from secretariat.accounts.models import User
from secretariat.core import audit
from secretariat.outbox import api
from secretariat.outbox.access import get_email_for, require_secretariat
from secretariat.outbox.actions import NotRetryable, do_retry_email
from secretariat.outbox.forms import RetryForm, StatusFilterForm, UnsubscribeForm
from secretariat.outbox.lists import members_of, standard_lists
from secretariat.outbox.models import OutboundEmail


def outbox_list(request: HttpRequest) -> HttpResponse:
    require_secretariat(request)
    form = StatusFilterForm(request.GET or None)
    emails = OutboundEmail.objects.select_related("recipient")
    status = form.cleaned_data["status"] if form.is_valid() else ""
    if status:
        emails = emails.filter(status=status)
    page = Paginator(emails, 50).get_page(request.GET.get("page"))
    counts = _status_counts()
    return render(
        request,
        "outbox/list.html",
        {"form": form, "page": page, "status": status, "counts": counts},
    )


def _status_counts() -> dict[str, int]:
    rows = OutboundEmail.objects.order_by().values("status").annotate(n=Count("id"))
    found = {r["status"]: r["n"] for r in rows}
    return {s: found.get(s, 0) for s in OutboundEmail.Status.values}


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = get_email_for(request, pk)
    form = RetryForm(request.POST)
    if form.is_valid():
        try:
            do_retry_email(email, actor=request.user)  # type: ignore[arg-type]
        except NotRetryable:
            messages.error(request, _("Only a failed or cancelled message can be retried."))
        else:
            messages.success(request, _("The message is queued again."))
    return redirect("outbox:list")


def distribution_lists(request: HttpRequest) -> HttpResponse:
    require_secretariat(request)
    lists = [(spec, members_of(spec)) for spec in standard_lists()]
    return render(request, "outbox/lists.html", {"lists": lists})


@login_not_required
@csrf_exempt  # RFC 8058 one-click: the mail client posts without a session; the token signs it
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    found = api.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user = User.objects.filter(pk=found[0], is_active=True).first()
    if user is None:
        raise Http404
    category = found[1]
    if request.method == "POST":
        form = UnsubscribeForm(request.POST)
        if form.is_valid():
            api.unsubscribe(user, category)
            audit.record("notifications.unsubscribe", actor=user, obj=user, category=category)
            return render(
                request, "outbox/unsubscribed.html", {"category": api.category_label(category)}
            )
    return render(
        request,
        "outbox/unsubscribe.html",
        {"category": api.category_label(category), "form": UnsubscribeForm()},
    )
