"""Confirmed email addresses at an allow-listed domain join their organisation."""

from typing import Any

from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed, dispatch_uid="organisations.join_by_email_domain")
def join_on_confirmation(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    from . import services

    services.join_by_email_domain(user=email_address.user, email=email_address.email)
