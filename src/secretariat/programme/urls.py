from django.urls import path

from secretariat.programme import views

app_name = "programme"

urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("new/", views.programme_new, name="new"),
    path("<int:pk>/revise/", views.programme_revise, name="revise"),
    path("initiatives/new/", views.initiative_new, name="initiative-new"),
    path("initiatives/<int:pk>/", views.initiative_page, name="initiative"),
    path("initiatives/<int:pk>/manage/", views.initiative_manage, name="manage"),
    path("initiatives/<int:pk>/join/", views.initiative_join, name="join"),
    path("initiatives/<int:pk>/leave/", views.initiative_leave, name="leave"),
    path("initiatives/<int:pk>/milestone/", views.initiative_milestone, name="milestone"),
    path("initiatives/<int:pk>/report/", views.upload_report, name="upload-report"),
    path("initiatives/<int:pk>/cycle/", views.set_cycle, name="set-cycle"),
    path("reports/<int:pk>/propose/", views.propose_publication, name="propose"),
    path("reports/<int:pk>/publish/", views.publish_results, name="publish"),
    path("mandates/", views.mandates_page, name="mandates"),
    path("mandates/new/", views.mandate_new, name="mandate-new"),
    path("mandates/<int:pk>/guidance/", views.mandate_guidance, name="guidance"),
    path("handover/record/", views.handover_new, name="handover-new"),
    path("handover/", views.handover_page, name="handover"),
    path("results/", views.public_results, name="public-results"),
    path("results/feed.atom", views.public_results_feed, name="public-feed"),
]
