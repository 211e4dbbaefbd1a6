from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "secretariat.home"
    label = "home"
    verbose_name = "Home"
