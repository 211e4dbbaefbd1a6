from django.contrib import admin
from django.http import HttpRequest

from secretariat.documents.models import Document, Version


class VersionInline(admin.TabularInline):
    model = Version
    fields = (
        "number",
        "filename",
        "kind",
        "size",
        "sha256",
        "comment",
        "created_by_name",
        "created_at",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "symbol",
        "title",
        "organization",
        "doc_type",
        "status",
        "language",
        "date",
        "access_level",
        "body",
    )
    list_filter = ("organization", "doc_type", "status", "language", "access_level")
    search_fields = ("symbol", "title")
    readonly_fields = ("current_version", "translation_key", "created_by")
    inlines = [VersionInline]
