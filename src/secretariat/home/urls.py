from django.urls import path

from secretariat.home import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("language/", views.switch_language, name="switch-language"),
    path("audit/", views.audit_log, name="audit-log"),
    path("favicon.ico", views.favicon, name="favicon"),
]
