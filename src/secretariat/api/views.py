"""The user's API tokens page: create (the token is shown once), list, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.http import AuthedHttpRequest
from secretariat.api import tokens
from secretariat.api.forms import TokenCreateForm


def token_list(request: AuthedHttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = tokens.do_create_token(
                request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                actor=request.user,
            )
        except tokens.TokenError as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenCreateForm()
    status = 400 if request.method == "POST" and created is None else 200
    return render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": tokens.tokens_of(request.user)},
        status=status,
    )


@require_POST
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = tokens.get_token_for(request.user, pk)
    tokens.do_revoke_token(token, actor=request.user)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api:tokens")
