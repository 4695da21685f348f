"""Where events keep people's personal data (bookings: name, email, answers),
for subject access and erasure (registered with core.registry.add_personal_data).
Bookings hold an email address only, so they are found by email."""

from typing import Any

from fingerpost.accounts.models import User
from fingerpost.core.registry import PersonalRecord
from fingerpost.core.text import email_address

from . import queries, services
from .models import Booking


class BookingRecords:
    name = "events.bookings"
    label = "Event bookings"

    def find(self, *, email: str, phone: str) -> list[PersonalRecord]:
        if not email.strip():
            return []
        return [
            PersonalRecord(
                source=self.name,
                key=b.reference,
                title=f"{b.name}, booking {b.reference}",
                summary=f"{b.event.title}"
                + (f", {b.event.starts_at:%d %b %Y}" if b.event.starts_at else "")
                + f": {b.get_status_display().lower()}, booked {b.created_at:%d %b %Y}",
                matched_on="email",
            )
            for b in queries.bookings_for_email(email_address(email))
        ]

    def export(self, *, keys: list[str], by: User) -> list[dict[str, Any]]:
        bookings = list(
            Booking.objects.filter(reference__in=keys).select_related("event").order_by("pk")
        )
        services.record_bookings_exported(bookings=bookings, by=by)
        return [
            {
                "reference": b.reference,
                "event": b.event.title,
                "starts_at": b.event.starts_at.isoformat() if b.event.starts_at else "",
                "name": b.name,
                "email": b.email,
                "organisation": b.organisation_name,
                "places": b.places,
                "answers": b.answers,
                "status": b.get_status_display(),
                "booked": b.created_at.isoformat(),
                "checked_in": b.checked_in_at.isoformat() if b.checked_in_at else "",
            }
            for b in bookings
        ]

    def erase(self, *, keys: list[str], by: User) -> int:
        ids = list(Booking.objects.filter(reference__in=keys).values_list("pk", flat=True))
        return len(services.remove_personal_details_from_bookings(booking_ids=ids, by=by))
