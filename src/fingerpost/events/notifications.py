"""The emails about events. Each kind goes to each booking at most once: the
SentNotification row is written in the same transaction as the change, and
its unique constraint refuses a second one."""

import base64
import io
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .calendar import event_ics
from .models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Event,
    EventStatus,
    NotificationKind,
    SentNotification,
)

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


def site_url() -> str:
    return settings.FINGERPOST_SITE_URL.rstrip("/")


def notify(booking: Booking, kind: str, *, discriminator: str = "") -> bool:
    """Queue one email of this kind for this booking, unless it was sent already.

    Only the record is written here, inside the caller's transaction; the
    email (calendar file and check-in code included) is built by the worker
    after commit, so nothing slow happens while the event's row is locked.
    """
    if not booking.email:
        return False
    try:
        with transaction.atomic():
            notification = SentNotification.objects.create(
                booking=booking, kind=kind, discriminator=discriminator
            )
    except IntegrityError:
        return False
    from .tasks import send_notification

    transaction.on_commit(lambda: send_notification.enqueue(notification_id=notification.pk))
    return True


def send_notification_email(notification: SentNotification) -> int:
    """Build and send the email for one notification (called by the worker)."""
    from fingerpost.core.tasks import send_email

    from .queries import waiting_position

    booking = notification.booking
    event = booking.event
    if not still_true(notification):
        return 0
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
    if notification.kind == NotificationKind.EVENT_CHANGED and booking.status == "confirmed":
        attachments = [_attachment("event.ics", event_ics(event, base_url=base), "text/calendar")]
    if notification.kind == NotificationKind.CONFIRMATION:
        attachments = [
            _attachment("event.ics", event_ics(event, base_url=base), "text/calendar"),
            _attachment("check-in-code.png", check_in_qr_png(booking), "image/png"),
        ]
    return send_email.call(
        subject=SUBJECTS[NotificationKind(notification.kind)].format(title=event.title),
        body=render_to_string(f"events/email/{notification.kind}.txt", context),
        to=[booking.email],
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


def still_true(notification: SentNotification) -> bool:
    """False when the email would no longer be true: the place was claimed,
    cancelled or passed on, or the event cancelled, since it was queued."""
    booking = notification.booking
    wanted = _STILL_TRUE.get(NotificationKind(notification.kind))
    if wanted is None:  # cancellations and expiries stay true once they happen
        return True
    return booking.status in wanted and booking.event.status == EventStatus.PUBLISHED


def _attachment(filename: str, content: bytes, mimetype: str) -> dict[str, str]:
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode(),
        "mimetype": mimetype,
    }


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
    from fingerpost.core.mail import enqueue_email

    try:
        with transaction.atomic():
            SentNotification.objects.create(
                booking=booking,
                kind=NotificationKind.ALREADY_BOOKED,
                discriminator=timezone.localdate().isoformat(),
            )
    except IntegrityError:
        return False
    base = site_url()
    enqueue_email(
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
    )
    return True
