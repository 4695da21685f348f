from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fingerpost.core.demo import create_demo_data


class Command(BaseCommand):
    help = "Create demo organisations, accounts and data (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="Create N times more data, for benchmarks."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the database has users."
        )

    def handle(self, *args: Any, scale: int, if_empty: bool, **options: Any) -> None:
        from fingerpost.accounts.models import User

        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        if if_empty and User.objects.exists():
            self.stdout.write("The database already has data; no demo data added.")
            return
        try:
            counts = create_demo_data(scale=scale)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{value} {key}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(
            "Demo accounts (password fingerpost-demo): admin@example.org, "
            "organiser@example.org, coordinator@example.org, champion@example.org, "
            "champion2@example.org, member@example.org"
        )
