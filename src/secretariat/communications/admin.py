"""The register's series are set up in the admin (changes there are mirrored into the audit
log); notes themselves change only through the actions, so the admin shows them read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from secretariat.communications.models import IncomingNote, Note, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "format", "yearly_reset", "start_at", "distinct_approver")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ("reference", "subject", "kind", "status", "issued_on")
    list_filter = ("status", "kind", "series")


@admin.register(IncomingNote)
class IncomingNoteAdmin(ReadOnlyAdmin):
    list_display = ("sender", "sender_reference", "subject", "received_on")
