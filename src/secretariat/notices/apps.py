from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "secretariat.notices"
    label = "notices"
    verbose_name = "Notices"
