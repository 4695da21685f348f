from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fingerpost.events import services
from fingerpost.events.models import Booking

from ..factories import EventFactory


@pytest.mark.django_db
def test_sweep_passes_on_expired_offers(capsys, monkeypatch) -> None:
    event = EventFactory(capacity=1)
    first = services.book_places(event_id=event.pk, name="A", email="a@example.org").booking
    second = services.book_places(event_id=event.pk, name="B", email="b@example.org").booking
    services.book_places(event_id=event.pk, name="C", email="c@example.org")
    services.cancel_booking(booking=first)
    Booking.objects.filter(pk=second.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("sweep")
    assert "expire_due_offers: 1" in capsys.readouterr().out
    assert Booking.objects.get(email="c@example.org").status == "offered"
    call_command("sweep")
    assert "expire_due_offers: 0" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_deferred_tasks_are_queued_for_offers_and_reminders(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    event = EventFactory(capacity=1, status="draft")
    services.publish_event(event=event)
    names = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert any(n.endswith("send_event_reminders") for n in names)
    assert any(n.endswith("send_event_feedback_requests") for n in names)
    reminder = DBTaskResult.objects.get(task_path__endswith="send_event_reminders")
    assert reminder.run_after == event.starts_at - timedelta(hours=24)
