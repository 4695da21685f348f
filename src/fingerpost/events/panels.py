from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section


def events(user: User) -> Section:
    return Section(
        "Events",
        "Networking events, code clubs and drop-in sessions across the partnership.",
        [Link("Upcoming events", reverse("events:list"))],
    )


def run_events(user: User) -> Section | None:
    if not user.has_perm("events.manage_event"):
        return None
    return Section(
        "Run events",
        "Run networking events, code clubs and drop-ins: bookings, check-in and feedback.",
        [
            Link("Manage events", reverse("events:manage_list")),
            Link("Create an event", reverse("events:create")),
        ],
    )
