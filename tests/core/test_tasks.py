import pytest
from django.core import mail
from django.core.management import call_command

from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import OutboxMessage


def run_worker() -> None:
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_email_is_recorded_in_the_outbox_and_sent_by_the_worker(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    enqueue_email(subject="Hello", body="Welcome to the network", to=["a@example.org"])
    message = OutboxMessage.objects.get()
    assert message.status == "pending" and mail.outbox == []

    run_worker()

    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert mail.outbox[0].to == ["a@example.org"]
    # The Message-ID is the outbox's reference, the same for every attempt.
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<{message.reference}@")
    message.refresh_from_db()
    assert message.status == "sent" and message.sent_at is not None and message.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_no_email_for_a_rolled_back_change(settings) -> None:
    from django.db import transaction

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email(subject="Never", body="x", to=["a@example.org"])
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    run_worker()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_before_the_outbox_still_sends_its_email(settings) -> None:
    from fingerpost.core.tasks import send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(subject="Old", body="Queued last week", to=["o@example.org"])
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Old"]
    assert OutboxMessage.objects.get().status == "sent"


@pytest.mark.django_db(transaction=True)
def test_finished_tasks_are_pruned_after_a_week(settings) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from fingerpost.core.tasks import prune_finished_tasks, send_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(subject="Old", body="Hello Margaret", to=["m@example.org"])
    run_worker()
    send_email.enqueue(subject="Waiting", body="Not sent yet", to=["n@example.org"])
    assert prune_finished_tasks() == 0
    later = timezone.now() + timedelta(days=settings.FINGERPOST_TASK_RESULT_DAYS, minutes=1)
    assert prune_finished_tasks(now=later) == 1
    # The task still waiting to run is kept.
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
