"""The champions app listens to the help desk: every assignment, on any page
or API, is checked against the champion's check, pause and limit, and
becomes an offer the champion accepts or declines."""

from typing import Any

from django.dispatch import receiver

from fingerpost.helpdesk.signals import assigned, assigning


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
