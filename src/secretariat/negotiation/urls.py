from django.urls import path

from secretariat.negotiation import podium, views
from secretariat.negotiation.views import editions

app_name = "negotiation"

urlpatterns = [
    path("", views.negotiation_list, name="list"),
    path("import/", views.negotiation_import, name="import"),
    path("import/<int:pk>/", views.import_status, name="import-status"),
    path("<int:pk>/", views.negotiation_detail, name="detail"),
    path("<int:pk>/source/", views.source, name="source"),
    path("<int:pk>/source/map-code/", views.map_code, name="map-code"),
    path("<int:pk>/p/<str:key>/", views.paragraph, name="paragraph"),
    path("<int:pk>/p/<str:key>/activity/", views.paragraph_activity, name="activity"),
    path("<int:pk>/p/<str:key>/amend/", views.propose_amendment, name="amend"),
    path("<int:pk>/p/<str:key>/comment/", views.comment, name="comment"),
    path("<int:pk>/p/<str:key>/agreed-language/", views.agreed_language, name="agreed"),
    path("<int:pk>/position/", views.state_position, name="position"),
    path(
        "<int:pk>/positions/<int:position_id>/withdraw/",
        views.withdraw_position,
        name="withdraw-position",
    ),
    path(
        "<int:pk>/amendments/<int:amendment_id>/withdraw/",
        views.withdraw_amendment,
        name="withdraw-amendment",
    ),
    path(
        "<int:pk>/amendments/<int:amendment_id>/resubmit/",
        views.resubmit_amendment,
        name="resubmit-amendment",
    ),
    path("<int:pk>/rev/<int:number>/p/<str:key>/edit/", views.edit_paragraph, name="edit"),
    path("<int:pk>/rev/<int:number>/resolve/", views.resolve_bracket, name="resolve"),
    path("<int:pk>/rev/<int:number>/resolve/undo/", views.undo_resolve, name="undo-resolve"),
    path("<int:pk>/compile/", views.compile_revision, name="compile"),
    path("<int:pk>/revisions/", views.revision_list, name="revisions"),
    path("<int:pk>/revisions/<int:number>/", views.revision_detail, name="revision"),
    path("<int:pk>/revisions/<int:number>.txt", views.revision_text, name="revision-txt"),
    path("<int:pk>/revisions/<int:number>.docx", views.revision_docx, name="revision-docx"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/sheet/", views.amendment_sheet, name="sheet"),
    path("<int:pk>/dashboard/", views.chair_dashboard, name="dashboard"),
    path("<int:pk>/decisions/", views.decisions, name="decisions"),
    path("<int:pk>/decisions/ad-ref/", views.decide_ad_ref, name="ad-ref"),
    path("<int:pk>/decisions/forward/", views.decide_forward, name="forward"),
    path("<int:pk>/decisions/silence/", views.open_silence, name="silence-open"),
    path(
        "<int:pk>/decisions/silence/<int:silence_id>/break/",
        views.break_silence,
        name="silence-break",
    ),
    path("<int:pk>/decisions/adopt/", views.adopt, name="adopt"),
    path("<int:pk>/editions/", editions.editions_page, name="editions"),
    path("<int:pk>/editions/load/", editions.edition_upload, name="edition-upload"),
    path(
        "<int:pk>/editions/<str:language>/<int:number>/",
        editions.edition_paragraph,
        name="edition-paragraph",
    ),
    path("translations/<str:language>/", editions.translation_queue, name="translation-queue"),
    path("translators/", editions.translators_page, name="translators"),
    path("<int:pk>/podium/", podium.podium, name="podium"),
    path("<int:pk>/podium/version/", podium.version, name="podium-version"),
    path("<int:pk>/podium/text/", podium.text, name="podium-text"),
    path("<int:pk>/podium/stream/", podium.stream, name="podium-stream"),
]
