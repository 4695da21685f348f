"""The outbox: every email and text message is a row (`OutboxMessage`)
written in the same transaction as the change that causes it, so a committed
booking always has its email and a rolled-back one never does.

`fingerpost worker` claims due rows one at a time (`SELECT ... FOR UPDATE
SKIP LOCKED`, so two workers never take the same one), sends them, and marks
each sent only after the mail server or GOV.UK Notify accepted it:

- a temporary failure (no answer, connection refused, SMTP 4xx, Notify 429
  or 5xx) is tried again later, with a growing wait, for
  FINGERPOST_DELIVERY_GIVE_UP_HOURS; then the message is failed, and staff
  see it on the messages page and can send it again;
- a permanent failure (the address or number was refused) fails at once and
  is shown on the booking or help request it is about;
- a claim lasts FINGERPOST_DELIVERY_LEASE_SECONDS. A message whose worker
  died is taken back when its lease runs out. If that worker had already
  handed it to Notify, Notify is asked (by the message's reference) whether
  it arrived; an SMTP server cannot be asked, so the message is sent again
  with the same Message-ID and flagged as a possible duplicate. That can only
  happen when a worker dies between the server accepting a message and the
  database recording it: at most one duplicate, in a window of milliseconds.

Without a worker (the immediate task backend of tests and scripts) each
message is sent in-process right after the transaction commits.
"""

import base64
import contextlib
import logging
import random
import smtplib
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from . import audit
from .inserts import insert
from .models import AuditAction, Channel, Failure, MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

_DATABASE_ERRORS = (OperationalError, InterfaceError)


class DeliveryError(Exception):
    """A staff action on a message is not possible; the message says why."""


class PermanentDeliveryError(Exception):
    """This message can never be delivered as it is (the address was refused,
    or texts are not set up); trying again will not help."""


@dataclass
class Rendered:
    """What a renderer builds at send time."""

    subject: str
    body: str
    html: str = ""
    attachments: list[dict[str, str]] = field(default_factory=list)
    # Extra email headers, such as List-Unsubscribe for a digest.
    headers: dict[str, str] = field(default_factory=dict)


def attachment(filename: str, content: bytes, mimetype: str) -> dict[str, str]:
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode(),
        "mimetype": mimetype,
    }


# ---------------------------------------------------------------- recording


def record(
    *,
    channel: str,
    to: Sequence[str],
    subject: str = "",
    body: str = "",
    html: str = "",
    attachments: Sequence[dict[str, str]] = (),
    kind: str = "",
    once_key: str | None = None,
    about: tuple[str, str] | None = None,
    renderer: str = "",
    render_args: dict[str, Any] | None = None,
    first: bool = False,
) -> OutboxMessage | None:
    """Write one message to send, in the caller's transaction.

    Returns None when a message with the same `once_key` exists already.
    With `first` the caller vouches that none can (the key names a row made
    in this transaction), and the savepoint that catches a duplicate key is
    left out: two round trips fewer while the caller may hold a lock.
    """
    about_type, about_reference = about or ("", "")
    message = OutboxMessage(
        channel=channel,
        to=list(to),
        subject=subject[:300],
        body=body,
        html=html or "",
        attachments=list(attachments),
        kind=kind,
        once_key=once_key or None,
        about_type=about_type,
        about_reference=str(about_reference),
        renderer=renderer,
        render_args=render_args or {},
        reference=uuid.uuid4().hex,
    )
    if once_key and not first:
        try:
            with transaction.atomic():
                insert(message)
        except IntegrityError:
            if OutboxMessage.objects.filter(once_key=once_key).exists():
                return None
            raise
    else:
        insert(message)
    if _sent_in_process():
        transaction.on_commit(partial(deliver_one, message_id=message.pk))
    return message


def _sent_in_process() -> bool:
    """True when no worker runs tasks (the immediate backend): then nothing
    would ever pick the message up, so it leaves right after commit."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


# ---------------------------------------------------------------- claiming


def lease() -> timedelta:
    return timedelta(seconds=settings.FINGERPOST_DELIVERY_LEASE_SECONDS)


def claim_next(*, worker_id: str, now: datetime | None = None) -> OutboxMessage | None:
    """Take the next message due, for `lease()`; None when nothing is due.

    A message whose lease ran out (its worker stopped) comes first.
    """
    now = now or timezone.now()
    abandoned = OutboxMessage.objects.filter(
        status=MessageStatus.SENDING, lease_expires_at__lte=now
    ).order_by("lease_expires_at", "pk")
    due = OutboxMessage.objects.filter(
        status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).order_by("next_attempt_at", "pk")
    with transaction.atomic():
        message = _first_unlocked(abandoned) or _first_unlocked(due)
        if message is None:
            return None
        if message.status == MessageStatus.SENDING:
            logger.warning(
                "Taking back message %s: worker %s stopped while sending it",
                message.reference,
                message.claimed_by,
            )
        message.status = MessageStatus.SENDING
        message.claimed_by = worker_id
        message.lease_expires_at = now + lease()
        message.attempts += 1
        message.save(update_fields=["status", "claimed_by", "lease_expires_at", "attempts"])
    return message


def _first_unlocked(queryset: QuerySet[OutboxMessage]) -> OutboxMessage | None:
    # SKIP LOCKED on PostgreSQL; SQLite's immediate transactions already
    # let only one writer in at a time.
    return queryset.select_for_update(skip_locked=True).first()


def release_claims_of(worker_id: str) -> int:
    """A worker that starts again under the same id (or recovers from a
    database outage) gives back what it had claimed and is no longer sending."""
    return OutboxMessage.objects.filter(status=MessageStatus.SENDING, claimed_by=worker_id).update(
        status=MessageStatus.PENDING, claimed_by="", lease_expires_at=None
    )


# ---------------------------------------------------------------- sending


class Courier:
    """Hands claimed messages to the mail server, Notify or the text service,
    keeping one mail connection open for a run of messages."""

    def __init__(self) -> None:
        self._connection: Any = None
        self.unreachable = False

    def mail_connection(self) -> Any:
        if self._connection is None:
            connection = mail.get_connection()
            try:
                connection.open()
            except Exception:
                self.unreachable = True
                raise
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            # A broken connection is being dropped anyway.
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

    def hand_over(
        self, message: OutboxMessage, content: Rendered, *, before: Callable[[], None]
    ) -> str:
        """Send; returns the provider's id when it gives one. Raises on failure."""
        if message.channel == Channel.SMS:
            before()
            sent = sms_backend().send(
                to=message.to[0], body=content.body, reference=message.reference
            )
            return str(sent or "")
        email = mail.EmailMultiAlternatives(
            content.subject,
            content.body,
            settings.DEFAULT_FROM_EMAIL,
            list(message.to),
            headers={**content.headers, "Message-ID": message_id(message)},
        )
        if content.html:
            email.attach_alternative(content.html, "text/html")
        for item in content.attachments:
            email.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
        connection = self.mail_connection()
        email.connection = connection
        before()
        try:
            sent = connection.send_messages([email])
        except Exception:
            self.close()
            raise
        if not sent:
            raise RuntimeError("The mail backend accepted nothing")
        return ""

    def was_accepted(self, message: OutboxMessage) -> bool | None:
        """Did a message handed over by a worker that then stopped arrive?
        None when the service cannot say (SMTP)."""
        backend = sms_backend() if message.channel == Channel.SMS else mail.get_connection()
        check = getattr(backend, "was_accepted", None)
        return check(message.reference) if check else None


def sms_backend() -> Any:
    """The text-message backend named by FINGERPOST_SMS_BACKEND (see core/sms.py)."""
    return import_string(settings.FINGERPOST_SMS_BACKEND)()


def message_id(message: OutboxMessage) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{message.reference}@{domain}>"


def deliver_due(
    *, worker_id: str, limit: int = 100, keep_going: Callable[[], bool] = lambda: True
) -> int:
    """Send up to `limit` due messages; stops early when the mail service
    cannot be reached (the rest wait for their next try). Returns how many
    messages were dealt with."""
    courier = Courier()
    handled = 0
    try:
        while handled < limit and keep_going():
            message = claim_next(worker_id=worker_id)
            if message is None:
                break
            deliver(message, courier=courier, worker_id=worker_id)
            handled += 1
            if courier.unreachable:
                break
    finally:
        courier.close()
    return handled


def send_due_messages() -> int:
    """Sweep step: a safety net when no worker is running. Claims like a
    worker does, so it never sends what a worker is sending."""
    return deliver_due(worker_id=f"sweep-{uuid.uuid4().hex[:8]}", limit=500)


def deliver_one(*, message_id: int) -> None:
    """Send one message now (used without a worker, right after commit)."""
    worker_id = f"in-process-{uuid.uuid4().hex[:8]}"
    claimed = OutboxMessage.objects.filter(pk=message_id, status=MessageStatus.PENDING).update(
        status=MessageStatus.SENDING,
        claimed_by=worker_id,
        lease_expires_at=timezone.now() + lease(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return
    message = OutboxMessage.objects.get(pk=message_id)
    courier = Courier()
    try:
        deliver(message, courier=courier, worker_id=worker_id)
    finally:
        courier.close()


def deliver(message: OutboxMessage, *, courier: Courier, worker_id: str) -> str:
    """Send one claimed message and record what happened; returns its new status."""
    if message.handed_over_at is not None:
        # The worker before us handed it over and stopped before recording the answer.
        accepted = courier.was_accepted(message)
        if accepted:
            _record_sent(message, worker_id=worker_id, provider_id="")
            return MessageStatus.SENT
        if accepted is None:
            message.possible_duplicate = True
            OutboxMessage.objects.filter(pk=message.pk).update(possible_duplicate=True)
    try:
        content = _content(message)
    except Exception as exc:
        logger.exception("Message %s could not be built", message.reference)
        return _record_failure(message, exc, worker_id=worker_id)
    if content is None:
        _finish(message, worker_id=worker_id, status=MessageStatus.SKIPPED)
        return MessageStatus.SKIPPED

    def mark_handed_over() -> None:
        OutboxMessage.objects.filter(pk=message.pk).update(handed_over_at=timezone.now())

    try:
        provider_id = courier.hand_over(message, content, before=mark_handed_over)
    except Exception as exc:
        return _record_failure(message, exc, worker_id=worker_id)
    _record_sent(message, worker_id=worker_id, provider_id=provider_id or "")
    return MessageStatus.SENT


def _content(message: OutboxMessage) -> Rendered | None:
    if message.content_wiped_at is not None:
        raise PermanentDeliveryError("The message's content was deleted after its retention period")
    if message.renderer:
        build: Callable[..., Rendered | None] = import_string(message.renderer)
        return build(**message.render_args)
    return Rendered(
        subject=message.subject,
        body=message.body,
        html=message.html,
        attachments=list(message.attachments),
    )


def _record_sent(message: OutboxMessage, *, worker_id: str, provider_id: str) -> None:
    """Record the acceptance. The message is out: if the database is away for
    a moment, keep trying until our lease would run out rather than let the
    message be taken back and sent again."""
    changes = {
        "status": MessageStatus.SENT,
        "sent_at": timezone.now(),
        "claimed_by": "",
        "lease_expires_at": None,
        "failure": "",
        "last_error": "",
        "provider_id": provider_id,
    }
    updated = _until_lease_ends(
        message,
        lambda: OutboxMessage.objects.filter(
            pk=message.pk, status=MessageStatus.SENDING, claimed_by=worker_id
        ).update(**changes),
    )
    if not updated:
        logger.warning(
            "Message %s was sent after its lease ran out; another worker may send it too",
            message.reference,
        )
        OutboxMessage.objects.filter(pk=message.pk).exclude(status=MessageStatus.SENT).update(
            **changes, possible_duplicate=True
        )


def _until_lease_ends(message: OutboxMessage, write: Callable[[], int]) -> int:
    deadline = message.lease_expires_at or timezone.now()
    wait = 0.2
    while True:
        try:
            return write()
        except _DATABASE_ERRORS:
            if timezone.now() + timedelta(seconds=wait) >= deadline:
                raise
            _close_broken_connection()
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


def _close_broken_connection() -> None:
    from django.db import connection

    with contextlib.suppress(Exception):  # it is being thrown away
        connection.close()


def _finish(message: OutboxMessage, *, worker_id: str, status: str) -> None:
    OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_by=worker_id
    ).update(status=status, claimed_by="", lease_expires_at=None, handed_over_at=None)


def _record_failure(message: OutboxMessage, exc: BaseException, *, worker_id: str) -> str:
    now = timezone.now()
    failure = classify(exc)
    error = describe(exc)
    give_up_at = message.queued_at + timedelta(hours=settings.FINGERPOST_DELIVERY_GIVE_UP_HOURS)
    changes: dict[str, Any] = {
        "claimed_by": "",
        "lease_expires_at": None,
        "handed_over_at": None,
        "last_error": error[:500],
    }
    if failure == Failure.PERMANENT or now >= give_up_at:
        changes.update(status=MessageStatus.FAILED, failure=failure, failed_at=now)
        logger.error(
            "Message %s (%s) could not be sent after %d tries: %s",
            message.reference,
            message.kind or message.channel,
            message.attempts,
            error,
        )
    else:
        changes.update(
            status=MessageStatus.PENDING,
            failure=failure,
            next_attempt_at=now + retry_delay(message.attempts),
        )
        logger.warning(
            "Message %s not sent (try %d), trying again at %s: %s",
            message.reference,
            message.attempts,
            changes["next_attempt_at"].isoformat(timespec="seconds"),
            error,
        )
    OutboxMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, claimed_by=worker_id
    ).update(**changes)
    return str(changes["status"])


def retry_delay(attempts: int) -> timedelta:
    """Waits double from FINGERPOST_DELIVERY_FIRST_RETRY_SECONDS up to an
    hour, with some jitter so a backlog does not retry all at once."""
    first = settings.FINGERPOST_DELIVERY_FIRST_RETRY_SECONDS
    seconds = min(first * 2 ** max(attempts - 1, 0), settings.FINGERPOST_DELIVERY_MAX_RETRY_SECONDS)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 - not security


def classify(exc: BaseException) -> str:
    """Permanent when the address or the message was refused for good."""
    if isinstance(exc, PermanentDeliveryError):
        return Failure.PERMANENT
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return (
            Failure.PERMANENT if codes and all(code >= 500 for code in codes) else Failure.TEMPORARY
        )
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        return Failure.PERMANENT
    status_code = getattr(exc, "status_code", None)  # GOV.UK Notify's APIError
    if isinstance(status_code, int) and status_code == 400:
        return Failure.PERMANENT
    return Failure.TEMPORARY


def describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(
            f"{address}: {code} {_text(reply)}" for address, (code, reply) in exc.recipients.items()
        )
        return f"The mail server refused the address ({refused})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server answered {exc.smtp_code}: {_text(exc.smtp_error)}"
    if isinstance(exc, ConnectionRefusedError):
        return "The mail server refused the connection"
    if isinstance(exc, TimeoutError):
        return "The mail server did not answer in time"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


# ---------------------------------------------------------------- staff


def resend(*, message: OutboxMessage, by: Any) -> OutboxMessage:
    """Send a failed message again (after a long outage, or once the address is fixed)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != MessageStatus.FAILED:
            raise DeliveryError("Only a message that could not be sent can be sent again")
        if message.content_wiped_at is not None:
            raise DeliveryError("This message was deleted after its retention period")
        now = timezone.now()
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now
        message.queued_at = now
        message.failure = ""
        message.resent_at = now
        message.resent_by = by
        message.dealt_with_at = None
        message.dealt_with_by = None
        message.save()
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type="message",
            reference=message.reference,
            detail="sent again",
        )
    if _sent_in_process():
        transaction.on_commit(partial(deliver_one, message_id=message.pk))
    return message


def mark_dealt_with(*, message: OutboxMessage, by: Any) -> OutboxMessage:
    """Someone has phoned the person (or otherwise dealt with it): stop showing it."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != MessageStatus.FAILED:
            raise DeliveryError("Only a message that could not be sent needs dealing with")
        message.dealt_with_at = timezone.now()
        message.dealt_with_by = by
        message.save(update_fields=["dealt_with_at", "dealt_with_by"])
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type="message",
            reference=message.reference,
            detail="dealt with",
        )
    return message


# ---------------------------------------------------------------- reading


def failures_about(about_type: str, references: Sequence[str]) -> dict[str, list[OutboxMessage]]:
    """Undealt-with failed messages about these records, by reference (one query)."""
    found: dict[str, list[OutboxMessage]] = {}
    if not references:
        return found
    for message in OutboxMessage.objects.filter(
        about_type=about_type,
        about_reference__in=list(references),
        status=MessageStatus.FAILED,
        dealt_with_at__isnull=True,
    ).order_by("created_at"):
        found.setdefault(message.about_reference, []).append(message)
    return found


def delivery_summary(*, now: datetime | None = None) -> dict[str, Any]:
    """For /healthz/worker and the messages page: what waits, what failed."""
    now = now or timezone.now()
    waiting = OutboxMessage.objects.filter(
        Q(status=MessageStatus.PENDING) | Q(status=MessageStatus.SENDING)
    )
    oldest = waiting.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "waiting": waiting.count(),
        "retrying": waiting.filter(attempts__gt=0, status=MessageStatus.PENDING).count(),
        "oldest_waiting_seconds": int((now - oldest).total_seconds()) if oldest else 0,
        "failed": OutboxMessage.objects.filter(
            status=MessageStatus.FAILED, dealt_with_at__isnull=True
        ).count(),
    }


# ---------------------------------------------------------------- retention


def wipe_old_message_content(*, now: datetime | None = None) -> int:
    """Sent and skipped messages keep their content (addresses, bodies with
    residents' details) for FINGERPOST_MESSAGE_DAYS, failed ones for
    FINGERPOST_FAILED_MESSAGE_DAYS; then only the record that a message of
    that kind was sent remains (its once-only key still stops a second one)."""
    now = now or timezone.now()
    finished = now - timedelta(days=settings.FINGERPOST_MESSAGE_DAYS)
    failed = now - timedelta(days=settings.FINGERPOST_FAILED_MESSAGE_DAYS)
    due = OutboxMessage.objects.filter(content_wiped_at__isnull=True).filter(
        Q(status__in=[MessageStatus.SENT, MessageStatus.SKIPPED], created_at__lte=finished)
        | Q(status=MessageStatus.FAILED, created_at__lte=failed)
    )
    return _wipe(due, now=now)


def forget_messages_about(*, about_type: str, references: Sequence[str]) -> int:
    """A record is anonymised or erased: so is every message about it. One
    not sent yet is not sent at all."""
    if not references:
        return 0
    about = OutboxMessage.objects.filter(about_type=about_type, about_reference__in=references)
    about.filter(status=MessageStatus.PENDING).update(status=MessageStatus.SKIPPED)
    return _wipe(about.filter(content_wiped_at__isnull=True), now=timezone.now())


def _wipe(messages: QuerySet[OutboxMessage], *, now: datetime) -> int:
    return messages.exclude(status=MessageStatus.SENDING).update(
        to=[],
        subject="",
        body="",
        html="",
        attachments=[],
        render_args={},
        last_error="",
        content_wiped_at=now,
    )
