from django.urls import reverse

from fingerpost.core.registry import Link, Section

from .models import User


def your_account(user: User) -> Section:
    links = [
        Link("Change your password", reverse("account_change_password")),
        Link("Two-factor authentication", reverse("mfa_index")),
    ]
    if user.has_perm("accounts.use_api"):
        links.append(Link("API tokens", reverse("accounts:api_tokens")))
    return Section(
        "Your account", "Your password, two-factor authentication and API tokens.", links
    )
