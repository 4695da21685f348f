"""What the network hears from other apps."""

from typing import Any

from fingerpost.organisations.models import Membership


def membership_saved(sender: Any, instance: Membership, **kwargs: Any) -> None:
    # A newly verified member appears in who's who at once.
    if instance.verified_at is not None and instance.user.is_active:
        from .services.people import ensure_profile

        ensure_profile(user=instance.user)
