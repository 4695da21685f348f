"""Reminders: coordinators hear about requests nobody has contacted in time,
and about a freed place offered to a resident the help desk booked without
email (nobody else will tell them)."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from fingerpost.core.mail import enqueue_email
from fingerpost.core.timeformat import govuk_date_time
from fingerpost.events.models import Booking

from .. import queries
from ..models import (
    TimelineKind,
    WaitingReminder,
)
from .records import about, add_to_timeline

logger = logging.getLogger(__name__)


def remind_about_waiting_requests(*, now: datetime | None = None) -> int:
    """Email the coordinators of each organisation about requests nobody has
    contacted in time. One email per organisation per day at most."""
    now = now or timezone.now()
    by_organisation: dict[int, list[str]] = {}
    for organisation_id, reference in queries.waiting_for_first_contact(now=now):
        by_organisation.setdefault(organisation_id, []).append(reference)
    sent = 0
    for organisation_id, references in by_organisation.items():
        coordinators = queries.coordinator_emails(organisation_id)
        if not coordinators:
            logger.warning(
                "%d requests for digital help are waiting but organisation %d has no coordinator",
                len(references),
                organisation_id,
            )
            continue
        try:
            with transaction.atomic():
                WaitingReminder.objects.create(organisation_id=organisation_id, day=now.date())
                # In the same transaction: a reminder recorded is a reminder sent.
                enqueue_email(
                    subject=(
                        f"{len(references)} request{'' if len(references) == 1 else 's'} for "
                        f"digital help {'is' if len(references) == 1 else 'are'} waiting for "
                        "first contact"
                    ),
                    body=render_to_string(
                        "helpdesk/email/waiting_reminder.txt",
                        {
                            "references": references,
                            "site_url": settings.FINGERPOST_SITE_URL,
                            "hours": settings.FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS,
                        },
                    ),
                    to=coordinators,
                    kind="helpdesk.waiting_reminder",
                )
        except IntegrityError:
            continue  # already reminded today
        sent += 1
    return sent


def tell_coordinators_of_an_offer(*, booking: Booking) -> bool:
    """A place came free for a resident the help desk booked without email:
    nobody else will tell them, so the coordinators are asked to call."""
    if booking.email:
        return False
    request = queries.request_for_booking(booking)
    if request is None:
        return False
    event = booking.event
    until = govuk_date_time(booking.offer_expires_at, "j M Y")
    add_to_timeline(
        request,
        actor=None,
        kind=TimelineKind.BOOKED,
        detail=f"A place at {event.title} is free for the resident until {until}. "
        f"Call them; if they want it, claim it from booking {booking.reference}.",
    )
    base = settings.FINGERPOST_SITE_URL.rstrip("/")
    coordinators = queries.coordinator_emails(request.organisation_id)
    if coordinators:
        enqueue_email(
            subject=f"Call a resident: a place is free at {event.title}",
            body=render_to_string(
                "helpdesk/email/place_offered.txt",
                {
                    "request": request,
                    "event": event,
                    "booking": booking,
                    "until": until,
                    "request_url": base + request.get_absolute_url(),
                    "manage_url": base + booking.get_manage_url(),
                },
            ),
            to=coordinators,
            kind="helpdesk.place_offered",
            about=about(request),
        )
    return True
