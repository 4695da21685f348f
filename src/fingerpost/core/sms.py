"""Text messages: like email, every message leaves through a background task
once the database change that caused it has committed.

FINGERPOST_SMS_BACKEND names the class that sends: the console backend in
development, GOV.UK Notify in production (GOVUK_NOTIFY_API_KEY and
GOVUK_NOTIFY_SMS_TEMPLATE_ID, one template whose only field is `body`), the
memory backend in tests, or the disabled backend when texts are not set up.
"""

import logging
import re
import sys
from functools import partial
from typing import ClassVar

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

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


def enqueue_sms(*, to: str, body: str) -> bool:
    """Send a text from the task queue once the current transaction commits.

    Returns False (and sends nothing) when `to` is not a mobile number.
    """
    from .tasks import send_sms

    number = mobile_number(to)
    if not number:
        return False
    if len(body) > MAX_LENGTH:
        raise ValueError(f"A text message must be {MAX_LENGTH} characters or fewer")
    transaction.on_commit(partial(send_sms.enqueue, to=number, body=body))
    return True


def send(*, to: str, body: str) -> None:
    backend = import_string(settings.FINGERPOST_SMS_BACKEND)
    backend().send(to=to, body=body)


class ConsoleBackend:
    def send(self, *, to: str, body: str) -> None:
        sys.stdout.write(f"Text message to {to}:\n{body}\n{'-' * 40}\n")
        sys.stdout.flush()


class MemoryBackend:
    """Keeps texts in `outbox`, for tests (like Django's locmem email backend)."""

    outbox: ClassVar[list[dict[str, str]]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append({"to": to, "body": body})


class DisabledBackend:
    def send(self, *, to: str, body: str) -> None:
        logger.warning("Text messages are not set up; a text was not sent")


class NotifyBackend:
    def send(self, *, to: str, body: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        client.send_sms_notification(
            phone_number=to,
            template_id=settings.GOVUK_NOTIFY_SMS_TEMPLATE_ID,
            personalisation={"body": body},
        )
