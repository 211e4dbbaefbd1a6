from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from secretariat.api.urls import v1 as api_v1

urlpatterns = [
    # The JavaScript strings in the reader's language (djangojs catalogues), as a script file:
    # the CSP allows no inline script. Public: it holds only UI words.
    path(
        "jsi18n/",
        login_not_required(JavaScriptCatalog.as_view(packages=["secretariat.negotiation"])),
        name="javascript-catalog",
    ),
    path("", include("secretariat.home.urls")),
    path("accounts/password-reset/", include("secretariat.outbox.password_reset")),
    path("accounts/", include("secretariat.accounts.urls")),
    path("oidc/", include("secretariat.accounts.oidc")),
    path("notifications/", include("secretariat.notifications.urls")),
    path("outbox/", include("secretariat.outbox.urls")),
    path("notices/", include("secretariat.notices.urls")),
    path("documents/", include("secretariat.documents.urls")),
    path("archive/", include("secretariat.archive.urls")),
    path("negotiations/", include("secretariat.negotiation.urls")),
    path("notes/", include("secretariat.communications.urls")),
    path("programme/", include("secretariat.programme.urls")),
    path("board/", include("secretariat.board.urls")),
    path("meetings/", include("secretariat.meetings.urls")),
    path("calendar/", include("secretariat.meetings.calendar_urls")),
    path("api/", include("secretariat.api.urls")),
    path("api/v1/", api_v1),
    path("admin/", admin.site.urls),
]
