"""Each SentNotification becomes an outbox message with the same once-only
key. Those whose email task had not finished (queued, stuck running after a
killed worker, or failed while the mail server was down) become pending
messages, so the outbox sends them now; the rest are recorded as sent."""

import uuid

from django.db import migrations

SEND_NOTIFICATION = "fingerpost.events.tasks.send_notification"
SUBJECTS = {
    "confirmation": "Your place is booked: {title}",
    "waiting": "You are on the waiting list: {title}",
    "offer": "A place is free for you: {title}",
    "reminder": "Reminder: {title} is coming up",
    "event_cancelled": "Cancelled: {title}",
    "feedback": "How was {title}?",
    "booking_cancelled": "Your booking is cancelled: {title}",
    "offer_expired": "Your offer of a place has expired: {title}",
    "event_changed": "Changed: {title} has a new time or place",
    "already_booked": "You have already booked: {title}",
}


def move_to_outbox(apps, schema_editor):
    SentNotification = apps.get_model("events", "SentNotification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    unfinished = set()
    for args in DBTaskResult.objects.filter(
        task_path=SEND_NOTIFICATION, status__in=["READY", "RUNNING", "FAILED"]
    ).values_list("args_kwargs", flat=True):
        notification_id = (args or {}).get("kwargs", {}).get("notification_id")
        if notification_id is not None:
            unfinished.add(notification_id)
    rows = []
    for notification in SentNotification.objects.select_related("booking__event").iterator():
        booking = notification.booking
        pending = notification.pk in unfinished and notification.kind != "already_booked"
        rows.append(
            OutboxMessage(
                channel="email",
                kind=f"events.{notification.kind}",
                once_key=f"events:{booking.pk}:{notification.kind}:{notification.discriminator}",
                about_type="booking",
                about_reference=booking.reference,
                to=[booking.email] if pending else [],
                subject=SUBJECTS.get(notification.kind, "{title}").format(
                    title=booking.event.title
                ),
                renderer="fingerpost.events.notifications.render_booking_email" if pending else "",
                render_args={"booking_id": booking.pk, "kind": notification.kind}
                if pending
                else {},
                reference=uuid.uuid4().hex,
                status="pending" if pending else "sent",
                created_at=notification.sent_at,
                queued_at=notification.sent_at,
                sent_at=None if pending else notification.sent_at,
            )
        )
        if len(rows) >= 1000:
            OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    # Their tasks would only look for the notification; the outbox has them now.
    DBTaskResult.objects.filter(task_path=SEND_NOTIFICATION, status__in=["READY", "RUNNING"]).update(
        status="SUCCESSFUL"
    )


def back_from_outbox(apps, schema_editor):
    SentNotification = apps.get_model("events", "SentNotification")
    OutboxMessage = apps.get_model("core", "OutboxMessage")
    Booking = apps.get_model("events", "Booking")
    rows = []
    for once_key, created_at in OutboxMessage.objects.filter(
        once_key__startswith="events:"
    ).values_list("once_key", "created_at"):
        _, booking_id, kind, discriminator = once_key.split(":", 3)
        rows.append((int(booking_id), kind, discriminator, created_at))
    existing = set(Booking.objects.values_list("pk", flat=True))
    SentNotification.objects.bulk_create(
        [
            SentNotification(booking_id=b, kind=k, discriminator=d, sent_at=at)
            for b, k, d, at in rows
            if b in existing
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_event_changed_notification"),
        ("core", "0002_outbox_and_worker_heartbeats"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(move_to_outbox, back_from_outbox),
        migrations.DeleteModel(name="SentNotification"),
    ]
