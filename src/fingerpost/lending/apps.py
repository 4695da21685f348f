from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "fingerpost.lending"
    label = "lending"
    verbose_name = "Device lending"
