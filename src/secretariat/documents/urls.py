from django.urls import path

from secretariat.documents import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_new, name="new"),
    path("pending/discard/", views.discard_pending, name="discard-pending"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/versions/", views.upload_version, name="upload-version"),
    path("<int:pk>/versions/<int:number>/download/", views.download, name="download"),
    path("<int:pk>/status/", views.change_status, name="status"),
]
