from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "secretariat.communications"
    label = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        from secretariat.communications import mail, register_sections

        mail.register()
        register_sections.register()

        from secretariat.communications.receivers import on_silence_ended
        from secretariat.negotiation.signals import silence_ended

        silence_ended.connect(on_silence_ended, dispatch_uid="communications-outcome-notice")
