from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from fingerpost.core.mail import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails from a background task, after the transaction
    that caused them commits."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        enqueue_email(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html=html,
        )

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
