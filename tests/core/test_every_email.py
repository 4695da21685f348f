"""Every kind of email, rendered the way the worker renders it, read as a
person would: a subject in sentence case, no library boilerplate, addresses
with their commas, times the GOV.UK way, no stray full stops or template
leftovers, and links on the one configured address."""

import base64
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.adapter import get_adapter
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from fingerpost.events import notifications, services
from fingerpost.events.models import BookingStatus, NotificationKind
from fingerpost.helpdesk.services.intake import IntakeAnswers, submit_request

from ..factories import BookingFactory, EventFactory, OrganisationFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
SITE = "http://127.0.0.1:8123"


def problems(subject: str, body: str) -> list[str]:
    found = []
    if re.search(
        r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", subject.split(": ")[0].removeprefix("[Fingerpost] ")
    ):
        found.append(f"subject in title case: {subject!r}")
    for bad in (
        "Hello from",
        "Thank you for using",
        "a.m.",
        "p.m.",
        "..",
        "{{",
        "{%",
        "None",
        "You're receiving",
    ):
        if bad in body:
            found.append(f"{bad!r} in the body")
    words = re.sub(r"https?://[^\s]+", "", body)
    if re.search(r"[a-z][A-Z][a-z]+[A-Z]{2}\d", words):
        found.append("an address runs together")
    for url in re.findall(r"https?://[^\s]+", body):
        if not url.startswith(SITE):
            found.append(f"a link off the site's address: {url}")
    return found


@pytest.mark.django_db
@override_settings(FINGERPOST_SITE_URL=SITE)
@pytest.mark.parametrize(
    "kind", [k.value for k in NotificationKind if k != NotificationKind.ALREADY_BOOKED]
)
def test_each_booking_email_reads_well(kind) -> None:
    event = EventFactory(
        title="Digital inclusion network",
        venue_name="Weymouth Library",
        venue_address="Great George Street\nWeymouth\nDT4 8NN",
        starts_at=datetime(2030, 6, 3, 10, 0, tzinfo=LONDON),
        ends_at=datetime(2030, 6, 3, 12, 0, tzinfo=LONDON),
    )
    status = {
        "waiting": BookingStatus.WAITING,
        "offer": BookingStatus.OFFERED,
        "offer_expired": BookingStatus.EXPIRED,
        "booking_cancelled": BookingStatus.CANCELLED,
    }.get(kind, BookingStatus.CONFIRMED)
    booking = BookingFactory(
        event=event,
        status=status,
        offer_expires_at=datetime(2030, 6, 1, 14, 30, tzinfo=LONDON),
        confirmed_at=None
        if status == BookingStatus.CANCELLED
        else datetime(2030, 5, 1, tzinfo=LONDON),
    )
    if kind == "event_cancelled":
        event.status = "cancelled"
        event.save()
    rendered = notifications.render_booking_email(booking_id=booking.pk, kind=kind)
    assert rendered is not None
    assert problems(rendered.subject, rendered.body) == []
    if kind == "confirmation":
        assert "Weymouth Library, Great George Street, Weymouth, DT4 8NN" in rendered.body
        assert "Monday 3 June 2030 at 10am to midday" in rendered.body
        ics = next(a for a in rendered.attachments if a["filename"] == "event.ics")
        text = base64.b64decode(ics["content"]).decode().replace("\r\n ", "")
        assert f"URL:{SITE}/events/" in text
    if kind == "offer":
        assert "Claim it before Saturday 1 June at 2:30pm. After" in rendered.body
    if kind == "booking_cancelled":
        # Someone who only waited is told they left the list, not that a booking was cancelled.
        assert rendered.subject == "You have left the waiting list: Digital inclusion network"
        assert "You have left the waiting list" in rendered.body


@pytest.mark.django_db
@override_settings(FINGERPOST_SITE_URL=SITE)
def test_a_cancelled_booking_says_so() -> None:
    booking = BookingFactory(status=BookingStatus.CONFIRMED)
    services.cancel_booking(booking=booking)
    rendered = notifications.render_booking_email(booking_id=booking.pk, kind="booking_cancelled")
    assert rendered is not None
    assert rendered.subject.startswith("Your booking is cancelled")


@pytest.mark.django_db
@override_settings(FINGERPOST_SITE_URL=SITE)
def test_the_someone_tried_again_email_reads_well(django_capture_on_commit_callbacks) -> None:
    booking = BookingFactory()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.remind_of_existing_booking(booking)
    assert len(mail.outbox) == 1
    assert problems(mail.outbox[0].subject, mail.outbox[0].body) == []


@pytest.mark.django_db
@override_settings(FINGERPOST_SITE_URL=SITE)
def test_the_help_request_confirmation_reads_well(django_capture_on_commit_callbacks) -> None:
    OrganisationFactory(kind="library")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submit_request(
            answers=IntakeAnswers(needs=["email"], name="Rita", email="rita@example.org")
        )
    assert len(mail.outbox) == 1
    assert problems(mail.outbox[0].subject, mail.outbox[0].body) == []


ACCOUNT_EMAILS = [
    "account/email/email_confirmation_signup",
    "account/email/email_confirmation",
    "account/email/account_already_exists",
    "account/email/unknown_account",
    "account/email/password_reset_key",
    "account/email/password_reset_code",
    "account/email/login_code",
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_deleted",
    "account/email/password_changed",
    "account/email/password_reset",
    "account/email/password_set",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/recovery_codes_generated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
]


@pytest.mark.django_db
@override_settings(FINGERPOST_SITE_URL=SITE)
@pytest.mark.parametrize("prefix", ACCOUNT_EMAILS)
def test_each_account_email_reads_well(prefix, django_capture_on_commit_callbacks) -> None:
    user = UserFactory(full_name="Mia Member")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _send_account_email(prefix, user)
    message = mail.outbox[0]
    # No name: whoever signs up types it, and the email may reach someone else.
    assert message.body.startswith("Hello,\n") and "Mia Member" not in message.body
    assert problems(message.subject, message.body) == []


def _send_account_email(prefix, user) -> None:
    get_adapter().send_mail(
        prefix,
        user.email,
        {
            "user": user,
            "email": user.email,
            "activate_url": "http://testserver:8000/accounts/confirm-email/KEY/",
            "password_reset_url": "http://testserver/accounts/password/reset/key/1-KEY/",
            "signup_url": "http://testserver/accounts/signup/",
            "code": "ABC123",
            "from_email": "old@example.org",
            "to_email": "new@example.org",
            "deleted_email": "old@example.org",
            "timestamp": datetime(2030, 6, 3, 9, 15, tzinfo=LONDON),
            "user_agent": "Firefox",
            "ip": "",
        },
    )


@pytest.mark.django_db
@override_settings(FINGERPOST_SITE_URL=SITE)
def test_the_sign_up_email_links_to_the_configured_address_only(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            reverse("account_signup"),
            {
                "email": "new.person@example.org",
                "password1": "a long enough password 42",
                "password2": "a long enough password 42",
                "full_name": "New Person",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    message = mail.outbox[-1]
    assert "user " not in message.body and "Hello from" not in message.body
    assert f"{SITE}/accounts/confirm-email/" in message.body
    assert "testserver" not in message.body
    assert problems(message.subject, message.body) == []


def test_a_later_offer_moves_nothing() -> None:
    # Guard the fixture above: an offer expiring after the event is nonsense.
    assert datetime(2030, 6, 1, tzinfo=LONDON) + timedelta(days=1) < datetime(
        2030, 6, 3, tzinfo=LONDON
    )
