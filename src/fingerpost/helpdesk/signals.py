"""The help desk listens to events: a freed place offered to a resident it
booked without email needs a person to pass the news on."""

from typing import Any

from django.dispatch import Signal, receiver

from fingerpost.events.signals import place_offered


@receiver(place_offered)
def call_the_resident(sender: Any, booking: Any, **kwargs: Any) -> None:
    from . import services

    services.tell_coordinators_of_an_offer(booking=booking)


# Sent by services.assign inside its transaction, once the request's version
# is checked: a receiver may refuse the assignment by raising a core error (the champions
# app refuses a champion whose check has expired, who is paused or full).
assigning = Signal()
# Sent after the request is assigned, in the same transaction. A receiver that
# emails the champion itself returns True, and the help desk sends nothing.
assigned = Signal()
