"""The staff page of emails and texts, and failures shown where coordinators
and organisers look."""

import smtplib
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core import outbox
from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import AuditEntry, Failure, MessageStatus, OutboxMessage

from ..conftest import ALL_ROLES
from ..factories import BookingFactory, EventFactory, HelpRequestFactory, MembershipFactory
from ..querycount import assert_flat_query_count


def failed_message(
    *,
    to: str = "gone@example.org",
    failure: str = Failure.TEMPORARY,
    about: tuple[str, str] | None = None,
) -> OutboxMessage:
    """A message the worker gave up on (written directly: without a worker,
    enqueue_email would send it at once)."""
    about_type, about_reference = about or ("", "")
    return OutboxMessage.objects.create(
        to=[to],
        subject="Your place is booked",
        body="Hello",
        about_type=about_type,
        about_reference=about_reference,
        reference=uuid.uuid4().hex,
        status=MessageStatus.FAILED,
        failure=failure,
        failed_at=timezone.now(),
        last_error="The mail server refused the connection",
        attempts=9,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_admins_see_the_messages(client_for: Callable[[str], Client], role: str) -> None:
    message = failed_message()
    signed_in = client_for(role)
    expected = 200 if role == Role.ADMIN else 403
    assert signed_in.get("/messages/").status_code == expected
    assert signed_in.get(f"/messages/{message.reference}/").status_code == expected
    refused = signed_in.post(f"/messages/{message.reference}/", {"action": "resend"})
    if role != Role.ADMIN:
        assert refused.status_code == 403
        message.refresh_from_db()
        assert message.status == MessageStatus.FAILED


@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/messages/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_an_admin_sees_what_failed_and_sends_it_again(client_for: Callable[[str], Client]) -> None:
    message = failed_message()
    admin = client_for(Role.ADMIN)
    page = admin.get("/messages/").content.decode()
    assert "gone@example.org" in page and "The mail server refused the connection" in page
    assert "Send 1 message again" in page
    assert AuditEntry.objects.filter(subject_type="messages", action="view").exists()

    detail = admin.get(f"/messages/{message.reference}/")
    assert "Send again" in detail.content.decode()
    response = admin.post(f"/messages/{message.reference}/", {"action": "resend"})
    assert response.status_code == 302
    message.refresh_from_db()
    # No worker in tests: it leaves at once.
    assert message.status == MessageStatus.SENT and message.resent_by is not None
    assert [m.to for m in mail.outbox] == [["gone@example.org"]]
    assert AuditEntry.objects.filter(subject_reference=message.reference, detail="sent again")
    # Sent: it cannot be sent again from here.
    admin.post(f"/messages/{message.reference}/", {"action": "resend"})
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_sending_every_temporary_failure_again_after_an_outage(
    client_for: Callable[[str], Client],
) -> None:
    for n in range(3):
        failed_message(to=f"p{n}@example.org")
    refused = failed_message(to="typo@example", failure=Failure.PERMANENT)
    admin = client_for(Role.ADMIN)
    admin.post("/messages/", {"confirm": "on"})
    assert sorted(m.to[0] for m in mail.outbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    refused.refresh_from_db()
    assert refused.status == MessageStatus.FAILED  # a refused address needs a person


@pytest.mark.django_db
def test_a_failure_dealt_with_leaves_the_list(client_for: Callable[[str], Client]) -> None:
    message = failed_message(failure=Failure.PERMANENT)
    admin = client_for(Role.ADMIN)
    admin.post(f"/messages/{message.reference}/", {"action": "dealt_with"})
    message.refresh_from_db()
    assert message.dealt_with_at is not None and message.dealt_with_by is not None
    assert "gone@example.org" not in admin.get("/messages/").content.decode()
    assert "gone@example.org" in admin.get("/messages/?show=all").content.decode()


@pytest.mark.django_db
def test_the_list_makes_the_same_queries_however_many_messages(
    client_for: Callable[[str], Client],
) -> None:
    failed_message(about=("help_request", "ABC123"))
    assert_flat_query_count(
        client_for(Role.ADMIN),
        "/messages/?show=all",
        lambda: [failed_message(to=f"p{n}@example.org") for n in range(5)],
    )


@pytest.mark.django_db
def test_a_refused_address_shows_on_the_help_request(client_for: Callable[[str], Client]) -> None:
    from fingerpost.helpdesk.services import SUBJECT

    coordinator = client_for(Role.COORDINATOR)
    user = coordinator.session["_auth_user_id"]
    help_request = HelpRequestFactory(email="typo@example")
    MembershipFactory(user_id=user, organisation=help_request.organisation, is_coordinator=True)
    failed_message(
        to="typo@example", failure=Failure.PERMANENT, about=(SUBJECT, help_request.reference)
    )
    page = coordinator.get(f"/help-requests/{help_request.reference}/").content.decode()
    assert "could not be delivered" in page and "typo@example" in page


@pytest.mark.django_db
def test_an_undelivered_confirmation_shows_on_the_attendee_list(
    client_for: Callable[[str], Client],
) -> None:
    organiser = client_for(Role.ORGANISER)
    event = EventFactory(organiser_id=organiser.session["_auth_user_id"])
    booking = BookingFactory(event=event, email="nobody@example")
    BookingFactory(event=event)
    failed_message(
        to="nobody@example", failure=Failure.PERMANENT, about=("booking", booking.reference)
    )
    page = organiser.get(f"/events/manage/{event.pk}/attendees/").content.decode()
    assert "Email not delivered" in page and page.count("Email not delivered") == 1


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_fails_at_once_and_is_shown(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.core.test_outbox.FlakyBackend"
    from .test_outbox import FlakyBackend

    FlakyBackend.failure = smtplib.SMTPRecipientsRefused({"x@example": (550, b"No such user")})
    try:
        message = enqueue_email(subject="Hi", body="x", to=["x@example"], about=("booking", "B1"))
        outbox.deliver_due(worker_id="w1")
    finally:
        FlakyBackend.failure = None
    assert message is not None
    assert list(outbox.failures_about("booking", ["B1"])) == ["B1"]
    message.refresh_from_db()
    assert "No such user" in message.last_error
