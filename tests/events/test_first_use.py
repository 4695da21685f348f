"""What people trying the booking pages for the first time tripped over."""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.core.timeformat import govuk_date_time, govuk_time, phone_display
from fingerpost.events.models import Booking

from ..factories import BookingFactory, EventFactory
from .test_public_views import _book_through_the_form

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time(10, 0), "10am"),
        (time(10, 30), "10:30am"),
        (time(12, 0), "midday"),
        (time(0, 0), "midnight"),
        (time(13, 5), "1:05pm"),
        (time(23, 59), "11:59pm"),
    ],
)
def test_times_read_the_govuk_way(value, expected) -> None:
    assert govuk_time(value) == expected


def test_a_date_and_time_reads_as_one_phrase() -> None:
    moment = datetime(2026, 12, 7, 14, 0, tzinfo=LONDON)
    assert govuk_date_time(moment) == "Monday 7 December 2026 at 2pm"
    assert govuk_date_time(moment, "l j F") == "Monday 7 December at 2pm"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("01305221000", "01305 221000"),
        ("07700900123", "07700 900123"),
        ("02079460000", "020 7946 0000"),
        ("08001234567", "0800 123 4567"),
        ("+3312345678", "+3312345678"),
        ("", ""),
    ],
)
def test_phone_numbers_get_their_spaces_back(stored, shown) -> None:
    assert phone_display(stored) == shown


@pytest.mark.django_db
def test_no_page_or_email_shows_a_dot_after_am_or_pm() -> None:
    event = EventFactory(starts_at=datetime(2030, 6, 3, 10, 0, tzinfo=LONDON))
    page = Client().get(event.get_absolute_url()).content.decode()
    assert "a.m." not in page and "p.m." not in page
    assert "10am to midday" in page


def test_head_on_the_calendar_feed_is_allowed(db) -> None:
    response = Client().head(reverse("events:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    event = EventFactory()
    assert Client().head(reverse("events:ics", args=[event.pk])).status_code == 200


@pytest.mark.django_db
def test_the_confirmation_names_the_event_the_date_and_the_places() -> None:
    event = EventFactory(
        capacity=10,
        max_places_per_booking=4,
        starts_at=datetime(2030, 6, 3, 10, 30, tzinfo=LONDON),
        ends_at=datetime(2030, 6, 3, 12, 0, tzinfo=LONDON),
    )
    client = Client()  # the done page shows the details once, to the browser that booked
    response, _ = _book_through_the_form(client, event, places=3)
    page = client.get(response["Location"]).content.decode()
    assert "<title>Your place is booked \N{EN DASH} " + event.title in page
    assert "Booking booked" not in page
    assert "Your 3 places are booked" in page
    assert "Monday 3 June 2030" in page and "10:30am to midday" in page
    assert "Add this event to your calendar" in page


@pytest.mark.django_db
def test_a_waiting_list_result_offers_no_calendar_and_no_cancel() -> None:
    event = EventFactory(capacity=1)
    BookingFactory(event=event)
    client = Client()
    response, _ = _book_through_the_form(client, event)
    page = client.get(response["Location"]).content.decode()
    assert "You do not have a place yet" in page
    assert "Add this event to your calendar" not in page
    assert "cancel your booking" not in page.lower()
    assert "leave the waiting list" in page


@pytest.mark.django_db
def test_the_places_question_says_how_many_are_left_and_offers_them() -> None:
    event = EventFactory(capacity=3, max_places_per_booking=4)
    BookingFactory(event=event, places=2)
    client = Client()
    form = client.get(reverse("events:book", args=[event.pk])).content.decode()
    assert "There is 1 place left" in form
    assert "A group of more than 1 joins the waiting list together" in form
    client.post(
        reverse("events:book", args=[event.pk]),
        {
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "organisation_name": "Dorset Council",
            "places": "3",
        },
    )
    check = client.get(reverse("events:book_check", args=[event.pk])).content.decode()
    assert check.count("Only 1 place left") == 1
    assert "Book the 1 place left" in check
    assert "Join the waiting list for 3 places" in check
    key = re.search(r'name="submission_key" value="(web:[0-9a-f:]+)"', check).group(1)
    client.post(
        reverse("events:book_check", args=[event.pk]), {"submission_key": key, "places": "1"}
    )
    booking = Booking.objects.get(email="ada@example.org")
    assert booking.status == "confirmed" and booking.places == 1


@pytest.mark.django_db
def test_a_larger_group_can_still_choose_to_wait_together() -> None:
    event = EventFactory(capacity=3, max_places_per_booking=4)
    BookingFactory(event=event, places=2)
    _book_through_the_form(Client(), event, places=3)
    booking = Booking.objects.get(email="ada@example.org")
    assert booking.status == "waiting" and booking.places == 3


@pytest.mark.django_db
def test_back_after_booking_shows_the_booking() -> None:
    event = EventFactory(capacity=10)
    client = Client()
    response, _ = _book_through_the_form(client, event)
    back = client.get(reverse("events:book_check", args=[event.pk]))
    assert back.status_code == 302 and back["Location"] == response["Location"]
    page = client.get(back["Location"]).content.decode()
    assert "Your answers were not saved" not in page
    assert "Your place is booked" in page
    # Someone else's browser is still told to start again.
    assert Client().get(reverse("events:book_check", args=[event.pk]))["Location"] == reverse(
        "events:book", args=[event.pk]
    )


# ---------------------------------------------------------------- check-in opens on the day


@pytest.mark.django_db
def test_check_in_is_refused_before_the_day_unless_opened_early() -> None:
    from fingerpost.core.errors import Conflict
    from fingerpost.events import services

    event = EventFactory()  # a week away
    booking = BookingFactory(event=event)
    with pytest.raises(Conflict, match="Check-in opens on"):
        services.check_in(booking=booking)
    with pytest.raises(Conflict, match="Check-in opens on"):
        services.record_walk_in(event=event, name="Sam Walker")
    assert services.check_in(booking=booking, early=True).checked_in_at is not None


@pytest.mark.django_db
def test_check_in_opens_at_midnight_on_the_day() -> None:
    event = EventFactory(starts_at=datetime(2030, 6, 3, 10, 0, tzinfo=LONDON))
    assert not event.check_in_is_open(datetime(2030, 6, 2, 23, 59, tzinfo=LONDON))
    assert event.check_in_is_open(datetime(2030, 6, 3, 0, 0, tzinfo=LONDON))
    assert event.check_in_is_open(datetime(2030, 6, 4, 9, 0, tzinfo=LONDON))  # put right later


def _staff(role: str, organisation=None) -> Client:
    from ..factories import UserFactory

    client = Client()
    kwargs = {"role__organisation": organisation} if organisation is not None else {}
    client.force_login(UserFactory(role=role, **kwargs))
    return client


@pytest.mark.django_db
def test_the_check_in_page_before_the_day_explains_and_offers_to_open_early() -> None:
    event = EventFactory()
    booking = BookingFactory(event=event)
    organiser = _staff("admin")
    url = reverse("events:check_in", args=[event.pk])
    page = organiser.get(url).content.decode()
    assert "Check-in opens on" in page and "open check-in early" in page
    refused = organiser.post(url, {"booking": booking.pk, "action": "check_in"}, follow=True)
    assert "Check-in opens on" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.checked_in_at is None
    organiser.post(url, {"booking": booking.pk, "action": "check_in", "early": "1"})
    booking.refresh_from_db()
    assert booking.checked_in_at is not None


@pytest.mark.django_db
def test_coordinators_check_people_in_at_the_code_clubs_they_run() -> None:
    from ..factories import OrganisationFactory

    library = OrganisationFactory(kind="library")
    branch = OrganisationFactory(kind="library", parent=library)
    coordinator = _staff("coordinator", library)
    for organisation in (library, branch):
        club = EventFactory(
            on_the_day=True, kind="code_club", audience="public", organisation=organisation
        )
        booking = BookingFactory(event=club)
        check_in = reverse("events:check_in", args=[club.pk])
        assert coordinator.get(check_in).status_code == 200
        assert (
            coordinator.post(check_in, {"booking": booking.pk, "action": "check_in"}).status_code
            == 302
        )
        booking.refresh_from_db()
        assert booking.checked_in_at is not None
        scan = reverse("events:check_in_scan", args=[club.pk, booking.reference])
        assert coordinator.get(scan).status_code == 200
        assert coordinator.get(reverse("events:walk_in", args=[club.pk])).status_code == 200


@pytest.mark.django_db
def test_no_heading_repeats_on_the_admin_dashboard() -> None:
    from ..factories import grant_role

    client = Client()
    from ..factories import UserFactory

    admin = UserFactory(role="admin")
    for role in ("coordinator", "champion", "organiser"):
        grant_role(admin, role)
    client.force_login(admin)
    page = client.get(reverse("core:dashboard")).content.decode()
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page)
    assert headings and len(headings) == len(set(headings)), headings


# ---------------------------------------------------------------- changing the places


@pytest.mark.django_db
def test_fewer_places_free_them_for_the_waiting_list() -> None:
    from fingerpost.events import services

    event = EventFactory(capacity=4, max_places_per_booking=4)
    group = services.book_places(event_id=event.pk, name="Ada", email="ada@example.org", places=4)
    waiting = services.book_places(event_id=event.pk, name="Bo", email="bo@example.org", places=2)
    assert waiting.booking.status == "waiting"
    services.change_places(booking=group.booking, places=2)
    group.booking.refresh_from_db()
    waiting.booking.refresh_from_db()
    assert group.booking.places == 2 and group.booking.status == "confirmed"
    assert waiting.booking.status == "offered"


@pytest.mark.django_db
def test_more_places_only_when_they_are_free() -> None:
    from fingerpost.core.errors import Conflict
    from fingerpost.events import services

    event = EventFactory(capacity=3, max_places_per_booking=4)
    mine = services.book_places(event_id=event.pk, name="Ada", email="ada@example.org", places=1)
    services.book_places(event_id=event.pk, name="Bo", email="bo@example.org", places=1)
    services.change_places(booking=mine.booking, places=2)
    with pytest.raises(Conflict, match="only 0 more places free"):
        services.change_places(booking=mine.booking, places=3)
    mine.booking.refresh_from_db()
    assert mine.booking.places == 2


@pytest.mark.django_db
def test_the_manage_page_changes_the_places() -> None:
    event = EventFactory(capacity=10, max_places_per_booking=4)
    booking = BookingFactory(event=event, places=3)
    client = Client()
    page = client.get(booking.get_manage_url()).content.decode()
    assert "Change the number of places" in page
    after = client.post(booking.get_manage_url(), {"action": "places", "places": "1"}, follow=True)
    assert "Your booking is now for 1 place" in after.content.decode()
    booking.refresh_from_db()
    assert booking.places == 1
    refused = client.post(
        booking.get_manage_url(), {"action": "places", "places": "9"}, follow=True
    )
    assert "Choose a number from 1 to 4" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.places == 1


# ---------------------------------------------------------------- yes, and what is needed


@pytest.mark.django_db
def test_a_yes_to_an_access_question_says_what_is_needed() -> None:
    from fingerpost.events import queries
    from fingerpost.events.models import RegistrationQuestion

    event = EventFactory(capacity=10)
    question = RegistrationQuestion.objects.create(
        event=event, text="Do you have any access needs?", kind="yes_no", required=True
    )
    client = Client()
    client.post(
        reverse("events:book", args=[event.pk]),
        {"name": "Ada Lovelace", "email": "ada@example.org", "organisation_name": "Dorset Council"},
    )
    form = client.get(reverse("events:book_questions", args=[event.pk])).content.decode()
    assert "If yes, tell us what is needed" in form
    client.post(
        reverse("events:book_questions", args=[event.pk]),
        {f"q{question.pk}": "yes", f"q{question.pk}_more": "A wheelchair space"},
    )
    check = client.get(reverse("events:book_check", args=[event.pk])).content.decode()
    assert "Yes: A wheelchair space" in check
    key = re.search(r'name="submission_key" value="(web:[0-9a-f:]+)"', check).group(1)
    client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key})
    booking = Booking.objects.get()
    assert booking.answers == {str(question.pk): "yes: A wheelchair space"}
    (row,) = queries.attendee_list(event).attendees
    assert row.answers == ["Yes: A wheelchair space"]


def test_a_no_drops_any_words_given() -> None:
    from fingerpost.events.answers import clean_answer, format_answer
    from fingerpost.events.models import RegistrationQuestion

    question = RegistrationQuestion(text="Access needs?", kind="yes_no", required=True)
    assert clean_answer(question, "No: something") == "no"
    assert clean_answer(question, "YES") == "yes"
    assert format_answer(question, "yes: large print") == "Yes: large print"
