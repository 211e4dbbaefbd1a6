from django.urls import path

from secretariat.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("initiatives/<int:pk>/", views.initiative_page, name="initiative"),
    path("initiatives/<int:pk>/report/", views.upload_report, name="upload-report"),
    path("initiatives/<int:pk>/cycle/", views.set_cycle, name="set-cycle"),
    path("reports/<int:pk>/propose/", views.propose_publication, name="propose"),
    path("reports/<int:pk>/publish/", views.publish_results, name="publish"),
    path("mandates/", views.mandates_page, name="mandates"),
    path("handover/", views.handover_page, name="handover"),
    path("results/", views.public_results, name="public-results"),
    path("results/feed.atom", views.public_results_feed, name="public-feed"),
]
