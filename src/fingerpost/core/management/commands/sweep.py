from typing import Any

from django.core.management.base import BaseCommand

from fingerpost.core.sweep import run_sweep


class Command(BaseCommand):
    help = "Run time-based housekeeping (offer expiry, reminders, feedback requests). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        for step, count in run_sweep().items():
            self.stdout.write(f"{step}: {count}")
