"""Public event pages are rendered once per content (core/page_cache.py),
yet every visitor sees the places left and the waiting list as they are at
that moment, and nobody is ever shown a page meant for someone else."""

import re
from datetime import timedelta

import pytest
from django.db.models import Count, Q, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from fingerpost.core.page_cache import CSRF_PLACEHOLDER, pages
from fingerpost.events import queries, services
from fingerpost.events.models import HOLDING_STATUSES, Booking, Event

from ..factories import BookingFactory, EventFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_page_cache():
    pages.clear()
    yield
    pages.clear()


def book(event: Event, n: int) -> Booking:
    return services.book_places(
        event_id=event.pk, name=f"Person {n}", email=f"p{n}@example.org"
    ).booking


@pytest.mark.django_db
def test_the_event_page_shows_the_places_left_after_every_booking() -> None:
    event = EventFactory(capacity=2)
    url = reverse("events:detail", args=[event.pk])
    visitor = Client()
    assert "2 places left" in visitor.get(url).content.decode()
    assert "2 places left" in visitor.get(url).content.decode()
    assert pages.hits == 1  # the second visit was not rendered again
    first = book(event, 1)
    assert "1 place left" in visitor.get(url).content.decode()
    book(event, 2)
    page = visitor.get(url).content.decode()
    assert "Full: join the waiting list" in page and "0 people are on the waiting list" in page
    book(event, 3)
    assert "1 person is on the waiting list" in visitor.get(url).content.decode()
    services.cancel_booking(booking=first)  # the place is offered: still held
    page = visitor.get(url).content.decode()
    assert "0 people are on the waiting list" in page


@pytest.mark.django_db
def test_the_list_shows_the_places_left_after_every_booking() -> None:
    event = EventFactory(capacity=3, title="Hot cakes")
    visitor = Client()
    assert "3 places left" in visitor.get(reverse("events:list")).content.decode()
    book(event, 1)
    assert "2 places left" in visitor.get(reverse("events:list")).content.decode()


@pytest.mark.django_db
def test_an_edited_event_shows_its_new_details_at_once() -> None:
    event = EventFactory(title="Before")
    url = reverse("events:detail", args=[event.pk])
    assert "Before" in Client().get(url).content.decode()
    Event.objects.filter(pk=event.pk).update(title="After")  # even without save()
    assert "After" in Client().get(url).content.decode()
    assert "After" in Client().get(reverse("events:list")).content.decode()


@pytest.mark.django_db
def test_booking_opening_later_changes_the_page_without_any_edit() -> None:
    event = EventFactory(booking_opens_at=timezone.now() + timedelta(days=1))
    url = reverse("events:detail", args=[event.pk])
    assert "Booking opens on" in Client().get(url).content.decode()
    Event.objects.filter(pk=event.pk).update(booking_opens_at=timezone.now() - timedelta(hours=1))
    assert "Book a place" in Client().get(url).content.decode()


@pytest.mark.django_db
def test_someone_signed_in_never_gets_a_visitors_page(client: Client) -> None:
    event = EventFactory()
    url = reverse("events:detail", args=[event.pk])
    assert "Sign in" in Client().get(url).content.decode()
    client.force_login(UserFactory(role="organiser"))
    page = client.get(url).content.decode()
    assert "Sign out" in page and ">Sign in<" not in page
    # ...and a visitor after them gets the visitor's page again.
    assert "Sign in" in Client().get(url).content.decode()


@pytest.mark.django_db
def test_a_visitor_with_a_session_is_rendered_for_them(settings) -> None:
    event = EventFactory()
    url = reverse("events:detail", args=[event.pk])
    with_session = Client()
    session = with_session.session
    session["something"] = "theirs"
    session.save()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    with_session.get(url)
    assert pages.hits == 0 and pages.misses == 0


@pytest.mark.django_db
def test_a_visitor_in_the_middle_of_booking_gets_the_kept_page() -> None:
    # Their answers are in the booking cookie, which the event page never shows.
    event = EventFactory()
    url = reverse("events:detail", args=[event.pk])
    mid_booking = Client()
    mid_booking.post(
        reverse("events:book", args=[event.pk]),
        {"name": "Ada", "email": "ada@example.org", "organisation_name": "Dorset Council"},
    )
    assert "fp_booking" in mid_booking.cookies and "sessionid" not in mid_booking.cookies
    page = mid_booking.get(url).content.decode()
    assert pages.misses == 1 and "ada@example.org" not in page


@pytest.mark.django_db
def test_every_kept_page_says_it_varies_with_the_cookie() -> None:
    event = EventFactory()
    url = reverse("events:detail", args=[event.pk])
    for _ in range(2):
        assert "Cookie" in Client().get(url)["Vary"]


@pytest.mark.django_db
def test_a_draft_is_not_public() -> None:
    event = EventFactory(status="draft")
    assert Client().get(reverse("events:detail", args=[event.pk])).status_code == 404


def _orm_counts(event_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = Event.objects.filter(pk__in=event_ids).annotate(
        taken=Sum("bookings__places", filter=Q(bookings__status__in=HOLDING_STATUSES)),
        waiting=Count("bookings", filter=Q(bookings__status="waiting")),
    )
    return {e.pk: (e.taken or 0, e.waiting) for e in rows}


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["confirmed", "waiting", "offered", "cancelled", "declined"]),
            st.integers(min_value=1, max_value=3),
        ),
        max_size=12,
    )
)
def test_the_public_reads_count_as_the_orm_does(bookings: list[tuple[str, int]]) -> None:
    event = EventFactory(capacity=6)
    for n, (status, places) in enumerate(bookings):
        BookingFactory(event=event, status=status, places=places, email=f"x{n}@example.org")
    taken, waiting = _orm_counts([event.pk])[event.pk]
    read = queries.public_event(event.pk)
    assert (read.places_taken, read.waiting_count) == (taken, waiting)  # type: ignore[attr-defined]
    assert read.places_left == max(6 - taken, 0)  # type: ignore[attr-defined]
    listed = {
        e.pk: e
        for e in queries.PublicEventList(kind=None, audience=None, now=timezone.now())[0:100]
    }
    assert listed[event.pk].places_taken == taken  # type: ignore[attr-defined]
    assert listed[event.pk].waiting_count == waiting  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_list_keeps_the_order_filters_and_pages_of_the_orm_query() -> None:
    now = timezone.now()
    for n in range(25):
        EventFactory(
            starts_at=now + timedelta(days=1 + n % 7, hours=n),
            kind="networking" if n % 2 else "code_club",
            audience="staff" if n % 3 else "public",
        )
    EventFactory(status="draft")
    EventFactory(starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1))
    for kind, audience in [
        (None, None),
        ("networking", None),
        (None, "public"),
        ("code_club", "staff"),
    ]:
        expected = list(
            queries.upcoming_public_events(kind=kind, audience=audience, now=now).values_list(
                "pk", flat=True
            )
        )
        rows = queries.PublicEventList(kind=kind, audience=audience, now=now)
        assert rows.count() == len(expected)
        assert [e.pk for e in rows[0:10]] + [e.pk for e in rows[10:100]] == expected


def _csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_the_empty_booking_form_is_rendered_once_with_each_visitors_own_token() -> None:
    event = EventFactory(capacity=5)
    url = reverse("events:book", args=[event.pk])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(url).content.decode()
    second_page = second.get(url).content.decode()
    assert pages.misses == 1 and pages.hits == 1
    assert CSRF_PLACEHOLDER not in first_page + second_page
    first_token, second_token = _csrf(first_page), _csrf(second_page)
    assert first_token != second_token
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    details = {"name": "Ada", "email": "ada@example.org"}
    # A token works only with the cookie it was made for.
    assert second.post(url, {**details, "csrfmiddlewaretoken": first_token}).status_code == 403
    assert first.post(url, {**details, "csrfmiddlewaretoken": second_token}).status_code == 403
    assert first.post(url, {**details, "csrfmiddlewaretoken": first_token}).status_code == 302
    # With answers given, the form is filled in for them, not kept.
    again = first.get(url).content.decode()
    assert 'value="ada@example.org"' in again and pages.hits == 1


@pytest.mark.django_db
def test_the_booking_form_shows_the_places_left_after_every_booking() -> None:
    event = EventFactory(capacity=4, max_places_per_booking=4)
    url = reverse("events:book", args=[event.pk])
    assert "are 3 places" not in Client().get(url).content.decode()
    book(event, 1)
    assert "There are 3 places left" in Client().get(url).content.decode()
    book(event, 2)
    assert "There are 2 places left" in Client().get(url).content.decode()
    # A change to the event is a new page too.
    Event.objects.filter(pk=event.pk).update(title="Renamed club")
    assert "Renamed club" in Client().get(url).content.decode()
    assert pages.hits == 0 and pages.misses == 4


@pytest.mark.django_db
def test_a_signed_in_person_gets_their_own_booking_form() -> None:
    event = EventFactory()
    client = Client()
    client.force_login(UserFactory(email="me@example.org"))
    page = client.get(reverse("events:book", args=[event.pk])).content.decode()
    assert 'value="me@example.org"' in page and pages.hits == pages.misses == 0


@pytest.mark.django_db
def test_the_booking_form_of_a_full_event_is_kept_while_people_join_the_waiting_list() -> None:
    event = EventFactory(capacity=1)
    url = reverse("events:book", args=[event.pk])
    book(event, 1)
    Client().get(url)
    book(event, 2)  # waiting: nothing the form shows has changed
    Client().get(url)
    assert pages.misses == 1 and pages.hits == 1
