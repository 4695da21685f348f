from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fingerpost.accounts"
    label = "accounts"

    def ready(self) -> None:
        from fingerpost.core import registry

        from . import panels, signals  # noqa: F401 - signals connects the receivers

        registry.add_dashboard_panel(name="accounts", order=95, build=panels.your_account)
