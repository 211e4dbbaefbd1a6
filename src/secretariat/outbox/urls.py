from django.urls import path

from secretariat.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("lists/", views.distribution_lists, name="lists"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
