from django.urls import path

from secretariat.communications import views

app_name = "communications"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.compose, name="compose"),
    path("preview/", views.preview, name="preview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/enclose/", views.enclose, name="enclose"),
    path("<int:pk>/unenclose/", views.unenclose, name="unenclose"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("incoming/new/", views.incoming_new, name="incoming-new"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming-detail"),
    path("incoming/<int:pk>/file/", views.incoming_file, name="incoming-file"),
    path("templates/", views.templates, name="templates"),
    path("releases/", views.releases, name="releases"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
    path("public/", views.public_list, name="public"),
    path("public/<int:pk>/", views.public_detail, name="public-detail"),
    path("public/<int:pk>/pdf/", views.public_pdf, name="public-pdf"),
    path("public/feed.atom", views.public_feed, name="public-feed"),
    path("silence/<int:pk>/statement/", views.silence_statement, name="silence-statement"),
]
