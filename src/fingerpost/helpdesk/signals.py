"""The help desk listens to events: a freed place offered to a resident it
booked without email needs a person to pass the news on."""

from typing import Any

from django.dispatch import receiver

from fingerpost.events.signals import place_offered


@receiver(place_offered)
def call_the_resident(sender: Any, booking: Any, **kwargs: Any) -> None:
    from . import services

    services.tell_coordinators_of_an_offer(booking=booking)
