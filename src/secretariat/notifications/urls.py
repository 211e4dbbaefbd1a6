from django.urls import path

from secretariat.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_all_read, name="mark-read"),
    path("settings/", views.notification_settings, name="settings"),
    path("follow/", views.follow, name="follow"),
]
