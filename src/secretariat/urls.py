from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("secretariat.home.urls")),
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
    path("admin/", admin.site.urls),
]
