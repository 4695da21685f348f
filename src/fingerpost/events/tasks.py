"""Background tasks for events. Each is idempotent: running it twice sends nothing twice."""

from django_tasks import task

from . import notifications, services
from .models import SentNotification


@task()
def send_notification(*, notification_id: int) -> int:
    notification = SentNotification.objects.select_related("booking__event").get(pk=notification_id)
    return notifications.send_notification_email(notification)


@task()
def expire_offers_for_event(*, event_id: int) -> int:
    return services.expire_due_offers(event_id=event_id)


@task()
def send_event_reminders(*, event_id: int) -> int:
    return notifications.send_due_reminders(event_id=event_id)


@task()
def send_event_feedback_requests(*, event_id: int) -> int:
    return notifications.send_due_feedback_requests(event_id=event_id)
