from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "secretariat.meetings"
    label = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from secretariat.communications.signals import note_issued
        from secretariat.meetings import mail
        from secretariat.meetings.convening import on_note_issued

        mail.register()
        # Issuing a meeting's convening note convenes it, in the issuing transaction.
        note_issued.connect(on_note_issued, dispatch_uid="meetings-convening-note")
