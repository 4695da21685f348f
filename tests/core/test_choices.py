"""get_FOO_display() gives Django's answer, faster, in every language."""

from django.utils import translation

from fingerpost.events.models import Booking, BookingStatus, Event, EventKind


def test_labels_are_djangos() -> None:
    for kind in EventKind:
        assert Event(kind=kind).get_kind_display() == str(kind.label)
    assert Booking(status=BookingStatus.WAITING).get_status_display() == "On the waiting list"


def test_an_unknown_value_is_shown_as_it_is() -> None:
    assert Event(kind="juggling").get_kind_display() == "juggling"
    assert Event(kind=None).get_kind_display() is None


def test_each_language_has_its_own_labels() -> None:
    english = Event(kind=EventKind.NETWORKING).get_kind_display()
    with translation.override("cy"):
        welsh = Event(kind=EventKind.NETWORKING).get_kind_display()
        assert welsh == str(EventKind.NETWORKING.label)  # Welsh when the catalogue has it
    assert Event(kind=EventKind.NETWORKING).get_kind_display() == english


def test_every_models_display_methods_use_it() -> None:
    from fingerpost.core import choices
    from fingerpost.helpdesk.models import HelpRequest

    for model, name in [(Event, "kind"), (Booking, "status"), (HelpRequest, "status")]:
        assert model.__dict__[f"get_{name}_display"].func is choices._get_FIELD_display
