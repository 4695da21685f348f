"""What other parts of Fingerpost may want to hear about, without events
depending on them."""

from django.dispatch import Signal

# A waiting person has been offered a freed place: sent with `booking`, inside
# the transaction that made the offer.
place_offered = Signal()

# A published event has (new) times: sent with `event`, inside the
# transaction that saved it.
event_scheduled = Signal()
