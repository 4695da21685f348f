"""Deactivating an account revokes its API tokens for good: reactivating it
later does not bring them back (the person makes new ones)."""

from typing import Any

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import ApiToken, User


@receiver(pre_save, sender=User, dispatch_uid="accounts.revoke_tokens_on_deactivation")
def revoke_tokens_on_deactivation(sender: Any, instance: User, **kwargs: Any) -> None:
    if instance.pk is None or instance.is_active:
        return
    was_active = User.objects.filter(pk=instance.pk, is_active=True).exists()
    if was_active:
        ApiToken.objects.filter(user_id=instance.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
