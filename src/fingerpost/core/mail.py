"""Email: every message is written to the outbox in the transaction of the
change that causes it, and sent from there by `fingerpost worker` (see
core/outbox.py)."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from . import outbox
from .models import Channel, OutboxMessage


def enqueue_email(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    html: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    kind: str = "",
    once_key: str | None = None,
    about: tuple[str, str] | None = None,
    renderer: str = "",
    render_args: dict[str, Any] | None = None,
    first: bool = False,
) -> OutboxMessage | None:
    """Record an email to send, in the current transaction: it leaves once the
    transaction commits, and never if it rolls back.

    attachments: (filename, content, mimetype) tuples.
    kind: what the email is, for staff ("helpdesk.assigned").
    once_key: a second email with the same key is not recorded (None is returned).
    about: (type, reference) of the record it is about ("booking", "K7P2XQ9M"),
        so a failure shows there.
    renderer, render_args: a function (dotted path) that builds the subject,
        body and attachments when the email is sent, from JSON arguments.
    first: the caller knows no message with this once_key can exist (it is
        about a row made in this transaction), so it is not looked for.
    """
    return outbox.record(
        channel=Channel.EMAIL,
        to=to,
        subject=subject,
        body=body,
        html=html or "",
        attachments=[outbox.attachment(name, content, mime) for name, content, mime in attachments],
        kind=kind,
        once_key=once_key,
        about=about,
        renderer=renderer,
        render_args=render_args,
        first=first,
    )


class NotifyEmailBackend(BaseEmailBackend):
    """Sends through GOV.UK Notify using one template whose personalisation
    fields are `subject` and `body` (set GOVUK_NOTIFY_API_KEY and
    GOVUK_NOTIFY_TEMPLATE_ID). Each message carries its outbox reference, so
    a message whose worker stopped can be looked up instead of sent twice."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        sent = 0
        for message in email_messages:
            reference = notify_reference(message)
            for recipient in message.to:
                try:
                    client.send_email_notification(
                        email_address=recipient,
                        template_id=settings.GOVUK_NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=reference,
                    )
                    sent += 1
                except Exception:
                    if not self.fail_silently:
                        raise
        return sent

    def was_accepted(self, reference: str) -> bool | None:
        return notify_has_reference(reference, template_type="email")


def notify_reference(message: EmailMessage) -> str | None:
    message_id = str(message.extra_headers.get("Message-ID", ""))
    return message_id.strip("<>").split("@")[0] or None


def notify_has_reference(reference: str, *, template_type: str) -> bool | None:
    """Whether Notify holds a notification with this reference; None if it cannot be asked."""
    from notifications_python_client.notifications import NotificationsAPIClient

    try:
        client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        found = client.get_all_notifications(template_type=template_type, reference=reference)
    except Exception:
        return None
    return bool(found.get("notifications"))
