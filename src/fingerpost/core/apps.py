from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fingerpost.core"
    label = "core"
