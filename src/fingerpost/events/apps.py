from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "fingerpost.events"
    label = "events"
