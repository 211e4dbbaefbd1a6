from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "secretariat.communications"
    label = "communications"
    verbose_name = "Communications"

    def ready(self) -> None:
        from secretariat.communications import mail

        mail.register()
