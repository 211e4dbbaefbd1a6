from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "secretariat.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Meetings and agenda items reach the library's search through `library_search`.
        from secretariat.meetings.minutes import register_kinds

        register_kinds()

        from secretariat.communications.signals import note_issued
        from secretariat.meetings import mail
        from secretariat.meetings.convening import on_note_issued

        mail.register()
        # Issuing a meeting's convening note convenes it, in the issuing transaction.
        note_issued.connect(on_note_issued, dispatch_uid="meetings-convening-note")
