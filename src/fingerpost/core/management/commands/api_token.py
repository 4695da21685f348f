from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fingerpost.accounts.models import User
from fingerpost.accounts.two_factor import must_set_up_two_factor
from fingerpost.core.api_auth import TOKEN_MAX_AGE, issue_api_token


class Command(BaseCommand):
    help = (
        "Make a named API token for a user and print it (send it as "
        f"`Authorization: Bearer <token>`). It lasts {TOKEN_MAX_AGE.days} days; the person "
        "sees it on their API tokens page and can revoke it there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The email address the person signs in with.")
        parser.add_argument("--name", default="Made with fingerpost api_token")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}")
        if not user.is_active:
            raise CommandError(f"{user.email} is deactivated: no token issued")
        if must_set_up_two_factor(user):
            raise CommandError(
                f"{user.email} must set up two-factor authentication before a token will work"
            )
        # Only the token on stdout, so scripts can capture it.
        self.stdout.write(issue_api_token(user, name=name))
