"""Notices to borrowers, each recorded once in the outbox (email when the
borrower has an address, otherwise a text to a mobile), in the transaction
of the change that causes it."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from fingerpost.core.mail import enqueue_email
from fingerpost.core.sms import enqueue_sms

from .models import Borrower

SUBJECTS = {
    "issued": "Your device loan: due back {due}",
    "renewed": "Your device loan is renewed: due back {due}",
    "reminder": "Your borrowed device is due back on {due}",
    "overdue": "Your borrowed device was due back on {due}",
    "hold_ready": "A device is ready for you to collect",
    "hold_expired": "The device held for you was not collected",
}

TEXTS = {
    "issued": "{service}: your {kind} {tag} is due back on {due}. Your loans: {link}",
    "renewed": "{service}: your {kind} {tag} is renewed, now due back on {due}.",
    "reminder": "{service}: your {kind} {tag} is due back on {due}. Ask us if you need longer.",
    "overdue": (
        "{service}: your {kind} {tag} was due back on {due}. Please return it or call {phone}."
    ),
    "hold_ready": "{service}: a {kind} is ready to collect at {branch} until {until}.",
    "hold_expired": "{service}: the {kind} held for you at {branch} was not collected in time.",
}


def borrower_link(borrower: Borrower) -> str:
    return settings.FINGERPOST_SITE_URL + reverse("lending_public:mine", args=[borrower.token])


def notify(
    borrower: Borrower, notice: str, *, once_key: str | None, about: tuple[str, str], **facts: str
) -> bool:
    """Record `notice` for the borrower; False when there is no way to reach
    them or it was recorded before under `once_key`."""
    if borrower.anonymised_at:
        return False
    facts = {
        "service": "Fingerpost",
        "phone": settings.FINGERPOST_CONTACT_PHONE,
        "link": borrower_link(borrower),
        **facts,
    }
    if borrower.email:
        body = render_to_string(f"lending/email/{notice}.txt", {"borrower": borrower, **facts})
        message = enqueue_email(
            subject=SUBJECTS[notice].format(**facts),
            body=body,
            to=[borrower.email],
            kind=f"lending.{notice}",
            once_key=once_key,
            about=about,
        )
        return message is not None
    if borrower.phone:
        return enqueue_sms(
            to=borrower.phone,
            body=TEXTS[notice].format(**facts),
            kind=f"lending.{notice}",
            once_key=once_key,
            about=about,
        )
    return False
