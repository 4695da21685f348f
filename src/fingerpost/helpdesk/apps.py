from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "fingerpost.helpdesk"
    label = "helpdesk"
    verbose_name = "Digital help desk"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the receivers
