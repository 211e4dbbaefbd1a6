"""The outbox and the distribution lists are the secretariat's: others get a 404, as for the
audit log (they may not know what mail the secretariat sends to whom)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from secretariat.accounts.access import is_secretariat
from secretariat.accounts.models import User
from secretariat.outbox.models import OutboundEmail


def require_secretariat(request: HttpRequest) -> User:
    user = request.user
    if not is_secretariat(user):
        raise Http404
    assert isinstance(user, User)
    return user


def get_email_for(request: HttpRequest, pk: int) -> OutboundEmail:
    require_secretariat(request)
    try:
        return OutboundEmail.objects.select_related("recipient").get(pk=pk)
    except OutboundEmail.DoesNotExist:
        raise Http404 from None
