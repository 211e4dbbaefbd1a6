from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("secretariat.home.urls")),
    path("accounts/", include("secretariat.accounts.urls")),
    path("notifications/", include("secretariat.notifications.urls")),
    path("outbox/", include("secretariat.outbox.urls")),
    path("notices/", include("secretariat.notices.urls")),
    path("admin/", admin.site.urls),
]
# Later layers mount themselves when installed (see settings.INSTALLED_APPS).
for _app, _prefix in (
    ("documents", "documents/"),
    ("archive", "archive/"),
    ("negotiation", "negotiations/"),
):
    if f"secretariat.{_app}" in settings.INSTALLED_APPS:
        urlpatterns.append(path(_prefix, include(f"secretariat.{_app}.urls")))
if "secretariat.communications" in settings.INSTALLED_APPS:
    urlpatterns.append(path("notes/", include("secretariat.communications.urls")))
