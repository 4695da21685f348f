"""The sections of "Your work" that belong to no app: the account and the operator's tools."""

from django.urls import reverse

from fingerpost.accounts.models import User

from .registry import Link, Section


def operate_the_service(user: User) -> Section | None:
    if not user.has_perm("accounts.use_admin_site"):
        return None
    return Section(
        "Operate the service",
        "Configuration, accounts and data protection tasks.",
        [
            Link("Open the admin site", reverse("admin:index")),
            Link("Emails and texts", reverse("core:messages")),
            Link("Audit log", reverse("admin:core_auditentry_changelist")),
        ],
    )


def your_account(user: User) -> Section:
    return Section(
        "Your account",
        "Change your email address, password or two-factor authentication.",
        [
            Link("Email addresses", reverse("account_email")),
            Link("Change your password", reverse("account_change_password")),
            Link("Two-factor authentication", reverse("mfa_index")),
        ],
    )
