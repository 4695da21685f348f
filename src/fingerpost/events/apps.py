from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "fingerpost.events"
    label = "events"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 - connects the receivers that schedule deferred tasks
