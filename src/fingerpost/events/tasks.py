"""Background tasks for events, and the deferred runs that services ask for
through signals. Each task is idempotent: running it twice sends nothing
twice (the outbox's once-only keys see to that)."""

from typing import Any

from django.dispatch import receiver
from django_tasks import task

from fingerpost.core.tasks import enqueue_at

from . import notifications, services, signals
from .models import Booking, Event


@task()
def expire_offers_for_event(*, event_id: int) -> int:
    return services.expire_due_offers(event_id=event_id)


@task()
def send_event_reminders(*, event_id: int) -> int:
    return notifications.send_due_reminders(event_id=event_id)


@task()
def send_event_feedback_requests(*, event_id: int) -> int:
    return notifications.send_due_feedback_requests(event_id=event_id)


@task()
def send_notification(*, notification_id: int) -> int:
    """Kept for tasks queued before the outbox: the upgrade moved each of
    their emails into the outbox, which sends it."""
    return 0


@receiver(signals.place_offered)
def expire_the_offer_when_due(sender: Any, booking: Booking, **kwargs: Any) -> None:
    if booking.offer_expires_at is not None:
        enqueue_at(expire_offers_for_event, booking.offer_expires_at, event_id=booking.event_id)


@receiver(signals.event_scheduled)
def send_reminders_and_feedback_requests_when_due(sender: Any, event: Event, **kwargs: Any) -> None:
    if event.starts_at is not None:
        enqueue_at(
            send_event_reminders, event.starts_at - notifications.REMINDER_BEFORE, event_id=event.pk
        )
    if event.ends_at is not None:
        enqueue_at(
            send_event_feedback_requests,
            event.ends_at + notifications.FEEDBACK_AFTER,
            event_id=event.pk,
        )
