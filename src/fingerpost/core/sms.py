"""Text messages: like email, every message is written to the outbox in the
transaction of the change that causes it, and sent by `fingerpost worker`.

FINGERPOST_SMS_BACKEND names the class that sends: the console backend in
development, GOV.UK Notify in production (GOVUK_NOTIFY_API_KEY and
GOVUK_NOTIFY_SMS_TEMPLATE_ID, one template whose only field is `body`), the
memory backend in tests, or the disabled backend when texts are not set up.
"""

import re
import sys
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from django.conf import settings

from . import outbox
from .mail import notify_has_reference
from .models import Channel

# A UK mobile number: 07 and nine more digits, or +44 7 and nine more.
_UK_MOBILE = re.compile(r"^(?:\+447|07)\d{9}$")
# Notify charges one text per 160 characters; keep messages to two.
MAX_LENGTH = 306


def mobile_number(phone: str) -> str:
    """The number in a form texts can be sent to, or "" if it is not a UK mobile."""
    digits = re.sub(r"[\s\-().]", "", phone or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("447"):
        digits = "+" + digits
    return digits if _UK_MOBILE.match(digits) else ""


def enqueue_sms(
    *,
    to: str,
    body: str,
    kind: str = "",
    once_key: str | None = None,
    about: tuple[str, str] | None = None,
) -> bool:
    """Record a text to send, in the current transaction: it leaves once the
    transaction commits, and never if it rolls back.

    Returns False (and records nothing) when `to` is not a mobile number, or
    a text with the same `once_key` exists already.
    """
    number = mobile_number(to)
    if not number:
        return False
    if len(body) > MAX_LENGTH:
        raise ValueError(f"A text message must be {MAX_LENGTH} characters or fewer")
    message = outbox.record(
        channel=Channel.SMS, to=[number], body=body, kind=kind, once_key=once_key, about=about
    )
    return message is not None


def send(*, to: str, body: str, reference: str = "") -> str:
    """Hand one text to the configured backend now; returns its id there, if any."""
    return str(outbox.sms_backend().send(to=to, body=body, reference=reference) or "")


class ConsoleBackend:
    def send(self, *, to: str, body: str, reference: str = "") -> None:
        sys.stdout.write(f"Text message to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


class FileBackend:
    """Development: each text is a file under var/texts/, like the emails
    under var/mail/, so neither is lost in the request log."""

    def send(self, *, to: str, body: str, reference: str = "") -> None:
        folder = Path(settings.VAR_DIR) / "texts"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
        (folder / name).write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")


class MemoryBackend:
    """Keeps texts in `outbox`, for tests (like Django's locmem email backend)."""

    outbox: ClassVar[list[dict[str, str]]] = []

    def send(self, *, to: str, body: str, reference: str = "") -> None:
        self.outbox.append({"to": to, "body": body})


class DisabledBackend:
    """Texts are not set up: each one fails at once, so the person it was for
    shows on the staff pages as someone to phone."""

    def send(self, *, to: str, body: str, reference: str = "") -> None:
        raise outbox.PermanentDeliveryError("Text messages are not set up")


class NotifyBackend:
    def send(self, *, to: str, body: str, reference: str = "") -> str:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        response = client.send_sms_notification(
            phone_number=to,
            template_id=settings.GOVUK_NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": body},
            reference=reference or None,
        )
        return str((response or {}).get("id", ""))

    def was_accepted(self, reference: str) -> bool | None:
        return notify_has_reference(reference, template_type="sms")
