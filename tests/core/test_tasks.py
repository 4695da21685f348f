import pytest
from django.core import mail
from django.core.management import call_command

from fingerpost.core.mail import enqueue_email


@pytest.mark.django_db(transaction=True)
def test_email_is_queued_in_the_database_and_sent_by_the_worker(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    enqueue_email(subject="Hello", body="Welcome to the network", to=["a@example.org"])
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []

    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert mail.outbox[0].to == ["a@example.org"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_no_email_for_a_rolled_back_change(settings) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_email(subject="Never", body="x", to=["a@example.org"])
        raise RuntimeError("the change failed")
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_finished_tasks_holding_emails_are_pruned_after_a_week(settings) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from fingerpost.core.tasks import prune_finished_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    enqueue_email(subject="Old", body="Hello Margaret", to=["m@example.org"])
    call_command("worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    enqueue_email(subject="Waiting", body="Not sent yet", to=["n@example.org"])
    assert prune_finished_tasks() == 0
    later = timezone.now() + timedelta(days=settings.FINGERPOST_TASK_RESULT_DAYS, minutes=1)
    assert prune_finished_tasks(now=later) == 1
    # The task still waiting to run is kept.
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
