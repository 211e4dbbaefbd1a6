"""Mounted at `calendar/`: the user's calendar page and the ICS feeds behind a token."""

from django.urls import path

from secretariat.meetings import views

app_name = "meetings-calendar"

urlpatterns = [
    path("", views.calendar_page, name="page"),
    path("rotate/", views.calendar_rotate, name="rotate"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
    path("feed/<str:token>/<str:code>.ics", views.calendar_body_feed, name="body-feed"),
]
