"""Background tasks shared by every app. Run them with `fingerpost worker`."""

import base64
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    attachments: list[dict[str, str]] | None = None,
) -> int:
    """Send one email through Django's mail API (SMTP, console or GOV.UK Notify).

    Attachments travel through the task queue as JSON: filename, mimetype and
    base64 content.
    """
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    for attachment in attachments or []:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message.send()


@task()
def send_sms(*, to: str, body: str) -> None:
    """Send one text message through the configured backend (see core/sms.py)."""
    from . import sms

    sms.send(to=to, body=body)


def enqueue_at(task_to_run: object, when: datetime, **kwargs: object) -> None:
    """Run a task at `when`, after the current transaction commits.

    Backends that cannot defer (the immediate backend used in tests) skip it:
    the same work is also done by `fingerpost sweep` (see core/sweep.py).
    """
    from django.db import transaction
    from django_tasks import default_task_backend

    if not default_task_backend.supports_defer:
        return
    deferred = task_to_run.using(run_after=when)  # type: ignore[attr-defined]
    transaction.on_commit(lambda: deferred.enqueue(**kwargs))


def prune_finished_tasks(*, now: datetime | None = None) -> int:
    """Delete finished task records after FINGERPOST_TASK_RESULT_DAYS: their
    arguments hold the emails and texts sent, residents' details included."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_TASK_RESULT_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
