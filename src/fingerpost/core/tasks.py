"""Background tasks shared by every app. Run them with `fingerpost worker`."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import outbox
from .models import Channel


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> int:
    """Kept so that tasks queued before the outbox existed still leave: the
    email goes into the outbox, which sends it (and retries it)."""
    outbox.record(
        channel=Channel.EMAIL,
        to=to,
        subject=subject,
        body=body,
        html=html or "",
        attachments=attachments or [],
    )
    return 1


@task()
def send_sms(*, to: str, body: str) -> None:
    """Kept for tasks queued before the outbox existed (see send_email)."""
    outbox.record(channel=Channel.SMS, to=[to], body=body)


def enqueue_at(task_to_run: Any, when: datetime, **kwargs: object) -> None:
    """Run a task at `when`.

    With the database backend the task row is written in the current
    transaction, so it exists exactly when the change that wants it commits.
    Backends that cannot defer (the immediate backend used in tests) skip
    it: the same work is also done by `fingerpost sweep` (see core/sweep.py).
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not backend.supports_defer:
        return
    deferred = task_to_run.using(run_after=when)
    if isinstance(backend, DatabaseBackend):
        deferred.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: deferred.enqueue(**kwargs))


def prune_finished_tasks(*, now: datetime | None = None) -> int:
    """Delete finished task records after FINGERPOST_TASK_RESULT_DAYS."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_TASK_RESULT_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
