from django.urls import path

from secretariat.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.search, name="search"),
    path("finder/", views.finder, name="finder"),
    path("precedents/<int:pk>/", views.paragraph_precedents, name="paragraph-precedents"),
    path("coverage/<int:pk>/", views.document_coverage, name="coverage"),
    path("public/", views.public_list, name="public"),
    path("public/<int:pk>/", views.public_detail, name="public-detail"),
    path(
        "public/<int:pk>/versions/<int:number>/download/",
        views.public_download,
        name="public-download",
    ),
    path("public/feed.atom", views.public_feed, name="feed"),
]
