from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "fingerpost.organisations"
    label = "organisations"
