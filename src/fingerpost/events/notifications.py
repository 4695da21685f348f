"""The emails about events. Each kind goes to each booking at most once:
`notify` writes an outbox message (core/outbox.py) in the same transaction
as the change, keyed by booking, kind and discriminator, and the worker
builds it (calendar file and check-in code included) when it sends it, so
nothing slow happens while the event's row is locked."""

import io
from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fingerpost.core import links
from fingerpost.core.mail import enqueue_email
from fingerpost.core.outbox import Rendered, attachment

from .calendar import event_ics
from .models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Event,
    EventStatus,
    NotificationKind,
)
from .queries import waiting_position

REMINDER_BEFORE = timedelta(hours=24)
FEEDBACK_AFTER = timedelta(hours=1)

SUBJECTS = {
    NotificationKind.CONFIRMATION: "Your place is booked: {title}",
    NotificationKind.WAITING: "You are on the waiting list: {title}",
    NotificationKind.OFFER: "A place is free for you: {title}",
    NotificationKind.REMINDER: "Reminder: {title} is coming up",
    NotificationKind.EVENT_CANCELLED: "Cancelled: {title}",
    NotificationKind.FEEDBACK: "How was {title}?",
    NotificationKind.BOOKING_CANCELLED: "Your booking is cancelled: {title}",
    NotificationKind.OFFER_EXPIRED: "Your offer of a place has expired: {title}",
    NotificationKind.EVENT_CHANGED: "Changed: {title} has a new time or place",
}


def subject_for(booking: Booking, kind: str) -> str:
    if kind == NotificationKind.BOOKING_CANCELLED and booking.confirmed_at is None:
        # Someone who only waited had no booking to cancel.
        return f"You have left the waiting list: {booking.event.title}"
    return SUBJECTS[NotificationKind(kind)].format(title=booking.event.title)


def site_url() -> str:
    return links.site_url()


def once_key(booking_id: int, kind: str, discriminator: str = "") -> str:
    return f"events:{booking_id}:{NotificationKind(kind).value}:{discriminator}"


def notify(booking: Booking, kind: str, *, discriminator: str = "", first: bool = False) -> bool:
    """Record one email of this kind for this booking, unless there is one already.

    Written inside the caller's transaction; the worker builds and sends it.
    `first`: the booking was made in this transaction, so there cannot be one
    already and the check is skipped (a savepoint's two round trips).
    """
    if not booking.email:
        return False
    message = enqueue_email(
        subject=subject_for(booking, kind),
        body="",
        to=[booking.email],
        kind=f"events.{NotificationKind(kind).value}",
        once_key=once_key(booking.pk, kind, discriminator),
        about=("booking", booking.reference),
        renderer="fingerpost.events.notifications.render_booking_email",
        render_args={"booking_id": booking.pk, "kind": NotificationKind(kind).value},
        first=first,
    )
    return message is not None


def render_booking_email(*, booking_id: int, kind: str) -> Rendered | None:
    """Build the email when the worker sends it; None when it is no longer true
    (the place was claimed, cancelled or passed on, or the event cancelled)."""
    booking = Booking.objects.select_related("event").filter(pk=booking_id).first()
    if booking is None or not booking.email or not still_true(booking, kind):
        return None
    event = booking.event
    base = site_url()
    context = {
        "booking": booking,
        "event": event,
        "manage_url": base + booking.get_manage_url(),
        "event_url": base + event.get_absolute_url(),
        "feedback_url": base + reverse("events:feedback", kwargs={"token": booking.token}),
        "position": waiting_position(booking),
        "service_name": settings.FINGERPOST_SERVICE_NAME,
    }
    attachments: list[dict[str, str]] = []
    if kind == NotificationKind.EVENT_CHANGED and booking.status == BookingStatus.CONFIRMED:
        attachments = [attachment("event.ics", event_ics(event, base_url=base), "text/calendar")]
    if kind == NotificationKind.CONFIRMATION:
        attachments = [
            attachment("event.ics", event_ics(event, base_url=base), "text/calendar"),
            attachment("check-in-code.png", check_in_qr_png(booking), "image/png"),
        ]
    return Rendered(
        subject=subject_for(booking, kind),
        body=render_to_string(f"events/email/{kind}.txt", context),
        attachments=attachments,
    )


# What must still be so when the worker gets to an email queued earlier.
_STILL_TRUE = {
    NotificationKind.CONFIRMATION: {BookingStatus.CONFIRMED},
    NotificationKind.WAITING: {BookingStatus.WAITING},
    NotificationKind.OFFER: {BookingStatus.OFFERED},
    NotificationKind.REMINDER: {BookingStatus.CONFIRMED},
    NotificationKind.FEEDBACK: {BookingStatus.CONFIRMED},
    NotificationKind.EVENT_CHANGED: set(ACTIVE_STATUSES),
}


def still_true(booking: Booking, kind: str) -> bool:
    """False when the email would no longer be true since it was recorded."""
    wanted = _STILL_TRUE.get(NotificationKind(kind))
    if wanted is None:  # cancellations and expiries stay true once they happen
        return True
    return booking.status in wanted and booking.event.status == EventStatus.PUBLISHED


def check_in_url(booking: Booking) -> str:
    return site_url() + reverse(
        "events:check_in_scan", kwargs={"pk": booking.event_id, "reference": booking.reference}
    )


def check_in_qr_png(booking: Booking) -> bytes:
    import qrcode

    image = qrcode.make(check_in_url(booking), box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def send_due_reminders(*, event_id: int | None = None, now: datetime | None = None) -> int:
    """Remind everyone booked on events starting within a day."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED, starts_at__gt=now, starts_at__lte=now + REMINDER_BEFORE
    )
    if event_id is not None:
        events = events.filter(pk=event_id)
    sent = 0
    for booking in Booking.objects.filter(
        event__in=events, status=BookingStatus.CONFIRMED, is_walk_in=False
    ).select_related("event"):
        # Keyed by the start time, so an event that moves is reminded of again.
        starts_at = booking.event.starts_at
        sent += notify(
            booking,
            NotificationKind.REMINDER,
            discriminator=starts_at.isoformat() if starts_at else "",
        )
    return sent


def send_due_feedback_requests(*, event_id: int | None = None, now: datetime | None = None) -> int:
    """Ask the people who came (checked in) for feedback, once, after the event."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=EventStatus.PUBLISHED,
        ends_at__lte=now - FEEDBACK_AFTER,
        ends_at__gt=now - timedelta(days=14),
        feedback_questions__isnull=False,
    ).distinct()
    if event_id is not None:
        events = events.filter(pk=event_id)
    sent = 0
    for booking in Booking.objects.filter(
        event__in=events, status=BookingStatus.CONFIRMED, checked_in_at__isnull=False
    ).select_related("event"):
        sent += notify(booking, NotificationKind.FEEDBACK)
    return sent


def remind_of_existing_booking(booking: Booking) -> bool:
    """Someone tried to book again with this address: send its holder the link,
    at most once a day, so nobody can fill a stranger's inbox by retrying."""
    base = site_url()
    message = enqueue_email(
        subject=f"You have already booked: {booking.event.title}",
        body=render_to_string(
            "events/email/already_booked.txt",
            {
                "booking": booking,
                "event": booking.event,
                "manage_url": base + booking.get_manage_url(),
                "service_name": settings.FINGERPOST_SERVICE_NAME,
            },
        ),
        to=[booking.email],
        kind=f"events.{NotificationKind.ALREADY_BOOKED.value}",
        once_key=once_key(
            booking.pk, NotificationKind.ALREADY_BOOKED, timezone.localdate().isoformat()
        ),
        about=("booking", booking.reference),
    )
    return message is not None
