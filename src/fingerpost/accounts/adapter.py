from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.http import HttpRequest

from fingerpost.core.links import on_site
from fingerpost.core.mail import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    """Sends allauth's emails through the outbox, in the transaction that
    causes them (see core/outbox.py)."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # The same context allauth's own send_mail builds ("Hello from <site>"),
        # with the service's name as the site's.
        request = allauth_context.request
        site = SimpleNamespace(
            name=settings.FINGERPOST_SERVICE_NAME,
            domain=urlsplit(settings.FINGERPOST_SITE_URL).netloc,
        )
        # allauth builds its links from the request; every link in an email
        # goes to the one configured address instead.
        context = {
            key: on_site(value) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": site, **context},
        )
        html = None
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = str(content)
        enqueue_email(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html=html,
            kind=f"accounts.{template_prefix.rsplit('/', 1)[-1]}",
        )

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return True
