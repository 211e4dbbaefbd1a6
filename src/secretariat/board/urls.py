from django.urls import path

from secretariat.board import views

app_name = "board"
urlpatterns = [
    path("", views.board_list, name="list"),
    path("search/", views.board_search, name="search"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("confirm/<str:token>/", views.confirm_mailed_thread, name="confirm"),
    path("passage/<int:document_id>/<int:number>/", views.passage_new, name="passage-new"),
    path(
        "passage/n/<int:negotiation_id>/<str:key>/",
        views.negotiation_passage_new,
        name="negotiation-passage-new",
    ),
    path("a/<int:pk>/", views.attachment_download, name="attachment"),
    path("t/<int:pk>/", views.thread_detail, name="thread"),
    path("t/<int:pk>/reply/", views.thread_reply, name="reply"),
    path("t/<int:pk>/state/", views.thread_state, name="thread-state"),
    path("t/<int:pk>/move/", views.thread_move, name="thread-move"),
    path("p/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("p/<int:pk>/history/", views.post_history, name="post-history"),
    path("p/<int:pk>/flag/", views.post_flag, name="post-flag"),
    path("p/<int:pk>/hide/", views.post_hide, name="post-hide"),
    path("p/<int:pk>/dismiss/", views.post_dismiss_flags, name="post-dismiss"),
    path("<slug:code>/", views.board_detail, name="board"),
    path("<slug:code>/new/", views.thread_new, name="thread-new"),
]
