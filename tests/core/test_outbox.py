"""The outbox: a message is recorded with the change that causes it, sent by
the worker, retried after temporary failures, taken back from a worker that
died, and never sent twice."""

import smtplib
import threading
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, transaction
from django.utils import timezone

from fingerpost.core import outbox
from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import MessageStatus, OutboxMessage
from fingerpost.events import services as event_services

from ..factories import EventFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class FlakyBackend(LocmemBackend):
    """Fails with the exception in `failure` (once per message) while it is set."""

    failure: ClassVar[BaseException | None] = None

    def send_messages(self, email_messages: Any) -> int:
        if FlakyBackend.failure is not None:
            raise FlakyBackend.failure
        return super().send_messages(email_messages)


class RefusingConnection(LocmemBackend):
    """A mail server that is down: the connection itself fails."""

    def open(self) -> bool:
        raise ConnectionRefusedError(111, "Connection refused")


class NotifyLikeBackend(LocmemBackend):
    """Like GOV.UK Notify: it can be asked whether a reference arrived."""

    accepted: ClassVar[set[str]] = set()

    def was_accepted(self, reference: str) -> bool:
        return reference in NotifyLikeBackend.accepted


@pytest.fixture
def queue(settings: Any) -> Any:
    """A worker sends (not the in-process delivery of the immediate backend)."""
    settings.TASKS = DATABASE_QUEUE
    FlakyBackend.failure = None
    return settings


def _email(to: str = "a@example.org", **kwargs: Any) -> OutboxMessage:
    message = enqueue_email(subject="Hello", body="Welcome", to=[to], **kwargs)
    assert message is not None
    return message


# ---------------------------------------------------------------- the transaction


@pytest.mark.django_db(transaction=True)
def test_a_booking_and_its_email_commit_or_roll_back_together(queue: Any) -> None:
    event = EventFactory(capacity=5)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_services.book_places(event_id=event.pk, name="Ada", email="ada@example.org")
        raise RuntimeError("the request failed after booking")
    assert not OutboxMessage.objects.exists()

    booking = event_services.book_places(
        event_id=event.pk, name="Ada", email="ada@example.org"
    ).booking
    message = OutboxMessage.objects.get()
    assert (message.kind, message.about_type, message.about_reference) == (
        "events.confirmation",
        "booking",
        booking.reference,
    )
    assert message.to == ["ada@example.org"] and message.status == MessageStatus.PENDING
    # Built when sent, from the booking as it is then: calendar file and check-in code.
    assert outbox.deliver_due(worker_id="w1") == 1
    sent = mail.outbox[0]
    assert sent.subject.startswith("Your place is booked")
    assert [name for name, _content, _type in sent.attachments] == [
        "event.ics",
        "check-in-code.png",
    ]


@pytest.mark.django_db
def test_the_same_once_only_key_records_one_message(queue: Any) -> None:
    assert _email(once_key="digest:2025-01-06") is not None
    assert (
        enqueue_email(subject="x", body="y", to=["a@example.org"], once_key="digest:2025-01-06")
        is None
    )
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_message_leaves_right_after_commit() -> None:
    with transaction.atomic():
        _email()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == MessageStatus.SENT


# ---------------------------------------------------------------- retries


@pytest.mark.django_db
def test_a_mail_server_that_is_down_is_tried_again_later_with_growing_waits(queue: Any) -> None:
    queue.EMAIL_BACKEND = "tests.core.test_outbox.RefusingConnection"
    message = _email()
    other = _email("b@example.org")
    # The server is down: one try, and the rest of the queue is left for later.
    assert outbox.deliver_due(worker_id="w1") == 1
    other.refresh_from_db()
    assert other.attempts == 0 and other.status == MessageStatus.PENDING
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 1
    assert message.failure == "temporary"
    assert message.last_error == "The mail server refused the connection"
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=20) < first_wait < timedelta(seconds=40)
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox.deliver_due(worker_id="w1")
    message.refresh_from_db()
    assert message.attempts == 2 and message.status == MessageStatus.PENDING
    waits = [outbox.retry_delay(n).total_seconds() for n in (1, 2, 3, 10)]
    assert 24 <= waits[0] <= 36 and 48 <= waits[1] <= 72 and 96 <= waits[2] <= 144
    assert waits[3] <= 3600 * 1.2

    queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due(worker_id="w1") == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.failure == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("failure", "status"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (451, b"Greylisted")}), "pending"),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}), "failed"),
        (smtplib.SMTPDataError(554, b"Rejected"), "failed"),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), "pending"),
        (TimeoutError("timed out"), "pending"),
    ],
)
def test_temporary_failures_wait_and_permanent_ones_fail_at_once(
    queue: Any, failure: BaseException, status: str
) -> None:
    queue.EMAIL_BACKEND = "tests.core.test_outbox.FlakyBackend"
    FlakyBackend.failure = failure
    message = _email()
    outbox.deliver_due(worker_id="w1")
    message.refresh_from_db()
    assert message.status == status
    assert message.failure == ("permanent" if status == "failed" else "temporary")
    assert message.handed_over_at is None and message.claimed_by == ""


@pytest.mark.django_db
def test_retries_stop_after_the_give_up_time_and_staff_can_send_it_again(queue: Any) -> None:
    queue.EMAIL_BACKEND = "tests.core.test_outbox.RefusingConnection"
    message = _email()
    OutboxMessage.objects.update(
        queued_at=timezone.now() - timedelta(hours=queue.FINGERPOST_DELIVERY_GIVE_UP_HOURS)
    )
    outbox.deliver_due(worker_id="w1")
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.failure == "temporary"

    queue.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox.resend(message=message, by=None)
    outbox.deliver_due(worker_id="w1")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and len(mail.outbox) == 1
    with pytest.raises(outbox.DeliveryError):
        outbox.resend(message=message, by=None)  # a sent message is never sent again


# ---------------------------------------------------------------- leases


@pytest.mark.django_db
def test_a_message_whose_worker_died_is_taken_back_when_its_lease_runs_out(queue: Any) -> None:
    message = _email()
    claimed = outbox.claim_next(worker_id="dead")
    assert claimed is not None and claimed.pk == message.pk
    # Another worker cannot take it while the lease holds...
    assert outbox.claim_next(worker_id="alive") is None
    # ...but can once it has run out. The dead worker never got to hand it over.
    later = timezone.now() + outbox.lease() + timedelta(seconds=1)
    again = outbox.claim_next(worker_id="alive", now=later)
    assert again is not None and again.attempts == 2
    assert outbox.deliver(again, courier=outbox.Courier(), worker_id="alive") == "sent"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and not message.possible_duplicate
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_handed_to_smtp_by_a_worker_that_died_is_sent_again_flagged(queue: Any) -> None:
    message = _email()
    outbox.claim_next(worker_id="dead")
    # It died after handing the message to the mail server, before recording the answer.
    OutboxMessage.objects.filter(pk=message.pk).update(handed_over_at=timezone.now())
    later = timezone.now() + outbox.lease() + timedelta(seconds=1)
    again = outbox.claim_next(worker_id="alive", now=later)
    assert again is not None
    outbox.deliver(again, courier=outbox.Courier(), worker_id="alive")
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.possible_duplicate
    # Sent again with the same Message-ID, so the receiving end can tell.
    assert mail.outbox[0].extra_headers["Message-ID"] == outbox.message_id(message)


@pytest.mark.django_db
def test_a_message_notify_already_accepted_is_not_sent_again(queue: Any) -> None:
    queue.EMAIL_BACKEND = "tests.core.test_outbox.NotifyLikeBackend"
    message = _email()
    outbox.claim_next(worker_id="dead")
    OutboxMessage.objects.filter(pk=message.pk).update(handed_over_at=timezone.now())
    NotifyLikeBackend.accepted = {message.reference}
    later = timezone.now() + outbox.lease() + timedelta(seconds=1)
    again = outbox.claim_next(worker_id="alive", now=later)
    assert again is not None
    assert outbox.deliver(again, courier=outbox.Courier(), worker_id="alive") == "sent"
    assert mail.outbox == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and not message.possible_duplicate


@pytest.mark.django_db
def test_a_restarted_worker_gives_back_what_it_held(queue: Any) -> None:
    _email()
    outbox.claim_next(worker_id="host-1")
    assert outbox.release_claims_of("host-2") == 0
    assert outbox.release_claims_of("host-1") == 1
    assert outbox.deliver_due(worker_id="host-1") == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_email_no_longer_true_is_skipped(queue: Any) -> None:
    event = EventFactory(capacity=5)
    booking = event_services.book_places(
        event_id=event.pk, name="Ada", email="ada@example.org"
    ).booking
    event_services.cancel_booking(booking=booking)
    outbox.deliver_due(worker_id="w1")
    statuses = dict(OutboxMessage.objects.values_list("kind", "status"))
    assert statuses == {"events.confirmation": "skipped", "events.booking_cancelled": "sent"}


# ---------------------------------------------------------------- retention


@pytest.mark.django_db
def test_old_message_content_is_wiped_but_its_once_only_key_stays(queue: Any) -> None:
    message = _email(once_key="reminder:1")
    outbox.deliver_due(worker_id="w1")
    assert outbox.wipe_old_message_content() == 0
    later = timezone.now() + timedelta(days=queue.FINGERPOST_MESSAGE_DAYS, minutes=1)
    assert outbox.wipe_old_message_content(now=later) == 1
    message.refresh_from_db()
    assert message.to == [] and message.body == "" and message.status == MessageStatus.SENT
    assert enqueue_email(subject="x", body="y", to=["a@example.org"], once_key="reminder:1") is None


# ---------------------------------------------------------------- workers meeting


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_workers_and_a_sweep_sending_at_once_send_each_message_once(queue: Any) -> None:
    for n in range(60):
        _email(f"p{n}@example.org")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def send(worker_id: str) -> None:
        try:
            barrier.wait()
            if worker_id == "sweep":
                outbox.send_due_messages()
            else:
                outbox.deliver_due(worker_id=worker_id, limit=1000)
        except BaseException as error:  # asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(w,)) for w in ("w1", "w2", "w3", "sweep")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 60 and len(set(recipients)) == 60
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == 60
