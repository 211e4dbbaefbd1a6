from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "secretariat.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from secretariat.accounts import register_missions, signals  # noqa: F401 - login audit

        register_missions.register()
