from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fingerpost.accounts"
    label = "accounts"
