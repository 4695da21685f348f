"""The champions app listens to the help desk: every assignment, on any page
or API, is checked against the champion's check, pause and limit, and
becomes an offer the champion accepts or declines."""

from typing import Any

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from fingerpost.helpdesk.signals import assigned, assigning

from .models import ChampionProfile, keep_area_ids


@receiver(assigning)
def refuse_a_champion_who_cannot_take_it(
    sender: Any, request: Any, champion: Any, by: Any, **kwargs: Any
) -> None:
    from . import services

    services.lock_for_assignment(champion=champion, help_request=request)


@receiver(assigned)
def ask_the_champion(sender: Any, request: Any, champion: Any, by: Any, **kwargs: Any) -> bool:
    from . import services

    services.record_offer(help_request=request, champion=champion, by=by)
    return True


@receiver(m2m_changed, sender=ChampionProfile.areas.through)
def keep_the_areas_column(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Matching reads a profile's areas from `area_ids`: kept here on every
    add, remove, set or clear, from either side of the link."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            keep_area_ids([instance.pk])
        return
    # From an area's side: the profiles it touched (before a clear, those linked).
    if action == "pre_clear":
        instance._champion_profiles_cleared = list(
            sender.objects.filter(area_id=instance.pk).values_list("championprofile_id", flat=True)
        )
    elif action in ("post_add", "post_remove"):
        keep_area_ids(pk_set or [])
    elif action == "post_clear":
        keep_area_ids(getattr(instance, "_champion_profiles_cleared", []))
