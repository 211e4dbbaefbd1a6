from django.urls import path

from secretariat.meetings import minutes_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/status/", views.meeting_status, name="status"),
    path("<int:pk>/convene/", views.meeting_convene, name="convene"),
    path("<int:pk>/convening-note/", views.meeting_convening_note, name="convening-note"),
    path("<int:pk>/agenda/<int:number>/", views.edition_detail, name="edition"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="publish"),
    path("<int:pk>/items/add/", views.item_add, name="item-add"),
    path("<int:pk>/items/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/items/<int:item_pk>/move/", views.item_move, name="item-move"),
    path("<int:pk>/items/<int:item_pk>/attach/", views.item_attach, name="item-attach"),
    path(
        "<int:pk>/items/<int:item_pk>/negotiation/",
        views.item_link_negotiation,
        name="item-negotiation",
    ),
    path("<int:pk>/items/<int:item_pk>/floor/", views.item_request_floor, name="item-floor"),
    path("<int:pk>/items/<int:item_pk>/speaker/", views.item_speaker, name="item-speaker"),
    path("<int:pk>/items/<int:item_pk>/statement/", views.item_statement, name="item-statement"),
    path("<int:pk>/items/<int:item_pk>/time/", views.item_speaking_time, name="item-time"),
    path("<int:pk>/documents.zip", views.documents_zip, name="documents-zip"),
    path("<int:pk>/registration/", views.registration, name="registration"),
    path("<int:pk>/registration/participant/", views.register_participant, name="register"),
    path("<int:pk>/registration/accreditation/", views.submit_accreditation, name="accredit"),
    path(
        "<int:pk>/registration/<int:acc_pk>/approve/",
        views.approve_accreditation,
        name="approve",
    ),
    path(
        "<int:pk>/registration/<int:acc_pk>/originals/",
        views.record_originals,
        name="originals",
    ),
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path("<int:pk>/participants.docx", views.participant_docx, name="participants-docx"),
    path("<int:pk>/participants.pdf", views.participant_pdf, name="participants-pdf"),
    path("<int:pk>/seating/", views.seating, name="seating"),
    # minutes and outcome
    path("<int:pk>/items/<int:item_pk>/record/", minutes_views.record_save, name="record"),
    path(
        "<int:pk>/items/<int:item_pk>/record/circulate/",
        minutes_views.record_circulate,
        name="record-circulate",
    ),
    path(
        "<int:pk>/items/<int:item_pk>/record/final/",
        minutes_views.record_finalise,
        name="record-final",
    ),
    path(
        "<int:pk>/items/<int:item_pk>/record/comment/",
        minutes_views.record_comment,
        name="record-comment",
    ),
    path("<int:pk>/items/<int:item_pk>/decision/", minutes_views.decision_new, name="decision"),
    path(
        "<int:pk>/items/<int:item_pk>/decision/link/",
        minutes_views.decision_link,
        name="decision-link",
    ),
    path("<int:pk>/items/<int:item_pk>/tasking/", minutes_views.tasking_action, name="tasking"),
    path("bodies/<str:code>/decisions/", minutes_views.body_decisions, name="body-decisions"),
]
