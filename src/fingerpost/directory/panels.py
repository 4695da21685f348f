"""What the directory adds to other pages: an organisation's help locations
on its page, and coordinators' "Your work" section."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section
from fingerpost.organisations.models import Organisation

from . import queries
from .display import exception_text, weekly_hours


def organisation_locations(request: Any, organisation: Organisation) -> dict[str, Any] | None:
    locations = list(queries.locations_for_organisation(organisation))
    if not locations:
        return None
    sessions = queries.help_sessions(organisation_ids=[organisation.pk]).get(organisation.pk, [])
    return {
        "locations": [
            {
                "location": location,
                "hours": weekly_hours(location),
                "exceptions": [(e, exception_text(e)) for e in queries.coming_exceptions(location)],
                "sessions": sessions,
            }
            for location in locations
        ]
    }


def keep_locations_current(user: User) -> Section | None:
    if not user.has_perm("directory.manage_locations"):
        return None
    locations = queries.locations_managed_by(user)
    stale = queries.stale_locations().filter(pk__in=locations.values("pk")).count()
    return Section(
        "Help locations",
        "Keep the address, opening hours and help offered at your locations current.",
        [Link("Your help locations", reverse("directory:manage_list"))],
        figures=[("Need checking", stale, reverse("directory:manage_list"))] if stale else [],
    )
