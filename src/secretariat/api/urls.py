from django.urls import path
from django.urls.resolvers import URLPattern, URLResolver

from secretariat.api import views
from secretariat.api.v1.api import api

app_name = "api"


def _open(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API answers 401 itself (it is not a page to be redirected to the login): its views
    are exempt from the login middleware, and each operation requires its own auth."""
    for p in patterns:
        if isinstance(p, URLPattern):
            p.callback.login_required = False  # type: ignore[attr-defined]
    return patterns


_v1, _app, _namespace = api.urls

urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]

# Mounted by the root URL conf at /api/v1/ (its own namespace, "api-1").
v1 = (_open(_v1), _app, _namespace)
