"""Email: every message leaves through a background task, and only once the
database change that caused it has committed."""

import base64
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction


def enqueue_email(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    html: str | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Send an email from the task queue once the current transaction commits.

    attachments: (filename, content, mimetype) tuples.
    """
    from .tasks import send_email

    encoded = [
        {"filename": name, "content": base64.b64encode(content).decode(), "mimetype": mimetype}
        for name, content, mimetype in attachments
    ]
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body=body,
            to=list(to),
            html=html,
            attachments=encoded,
        )
    )


class NotifyEmailBackend(BaseEmailBackend):
    """Sends through GOV.UK Notify using one template whose personalisation
    fields are `subject` and `body` (set GOVUK_NOTIFY_API_KEY and
    GOVUK_NOTIFY_TEMPLATE_ID)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        sent = 0
        for message in email_messages:
            for recipient in message.to:
                try:
                    client.send_email_notification(
                        email_address=recipient,
                        template_id=settings.GOVUK_NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                    sent += 1
                except Exception:
                    if not self.fail_silently:
                        raise
        return sent
