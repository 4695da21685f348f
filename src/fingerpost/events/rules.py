from typing import Any

import rules

from fingerpost.accounts.rules import is_coordinator, is_organiser, is_verified_member

from .models import Audience, Event

# The events back office: organisers run networking events, coordinators run the
# code clubs and drop-ins of their own organisations (queries.events_managed_by
# decides which events each may open).
rules.add_perm("events.manage_event", is_organiser | is_coordinator)

STAFF_ONLY_MESSAGE = (
    "Only verified partner staff can book this event. Sign in with your work account; "
    "if you have just signed up, your organisation must approve you first."
)


def may_book(user: Any, event: Event) -> bool:
    """The one rule for who may book an event, on the web, in the API and in
    the services: events for public-sector staff need a verified member,
    signed in; anything open to residents anyone may book."""
    if event.audience != Audience.STAFF:
        return True
    return bool(user is not None and getattr(user, "is_authenticated", False)) and bool(
        is_verified_member(user)
    )
