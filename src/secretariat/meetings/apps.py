from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "secretariat.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Meetings and agenda items in the library's search (documents imports no meetings).
        from secretariat.documents import search
        from secretariat.meetings.minutes import register_kinds
        from secretariat.meetings.search import search_meetings

        register_kinds()

        if search_meetings not in search.sources:
            search.sources.append(search_meetings)
        from secretariat.communications.signals import note_issued
        from secretariat.meetings import mail
        from secretariat.meetings.convening import on_note_issued

        mail.register()
        # Issuing a meeting's convening note convenes it, in the issuing transaction.
        note_issued.connect(on_note_issued, dispatch_uid="meetings-convening-note")
