"""Shared library PCs (finding 5): a visitor's session ends with the browser
and after a short idle time, done pages show personal details once, and
"start again" clears unfinished answers."""

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.core.sessions import LAST_SEEN

from ..factories import EventFactory, OrganisationFactory, UserFactory


def _ask_for_help(client: Client) -> None:
    steps = [
        ("needs", {"needs": ["email"], "what_they_want": "Email my grandchildren"}),
        ("device", {"has_device": "yes"}),
        ("internet", {"has_internet": "yes"}),
        ("how", {"help_modes": ["phone"]}),
        ("contact", {"name": "Margaret Jones", "phone": "", "email": "margaret@example.org"}),
        ("where", {"postcode_or_town": "DT1 1AA"}),
        ("more", {"languages": "", "access_needs": ""}),
        ("consent", {"consent_to_share": "yes"}),
    ]
    for step, data in steps:
        response = client.post(reverse("helpdesk_public:step", args=[step]), data)
        assert response.status_code == 302, (step, response.content.decode()[:500])
    response = client.post(reverse("helpdesk_public:check"))
    assert response.status_code == 302, response.content.decode()[:3000]


@pytest.mark.django_db
def test_the_help_done_page_shows_the_details_once() -> None:
    OrganisationFactory(name="Help desk", kind="library")
    client = Client()
    _ask_for_help(client)
    first = client.get(reverse("helpdesk_public:done")).content.decode()
    assert "margaret@example.org" in first and "/get-help/status/" in first
    again = client.get(reverse("helpdesk_public:done")).content.decode()
    assert "margaret@example.org" not in again and "/get-help/status/" not in again
    assert "we show them only once" in again


@pytest.mark.django_db
def test_the_booking_done_page_shows_the_details_once() -> None:
    event = EventFactory(capacity=5)
    client = Client()
    client.post(
        reverse("events:book", args=[event.pk]), {"name": "Ada", "email": "ada@example.org"}
    )
    check = client.get(reverse("events:book_check", args=[event.pk])).content.decode()
    key = re.search(r'name="submission_key" value="(web:[0-9a-f:]+)"', check).group(1)
    done_url = client.post(reverse("events:book_check", args=[event.pk]), {"submission_key": key})[
        "Location"
    ]
    first = client.get(done_url).content.decode()
    assert "ada@example.org" in first and "/events/bookings/" in first
    for browser in (client, Client()):
        later = browser.get(done_url).content.decode()
        assert "ada@example.org" not in later and "/events/bookings/" not in later
    # The address left in the history holds no private link: without its
    # last part it opens nothing.
    from fingerpost.events.models import Booking

    booking = Booking.objects.get(event=event)
    assert booking.token not in done_url and booking.reference in done_url
    assert Client().get(done_url.removesuffix("done/")).status_code == 404


@pytest.mark.django_db
def test_a_visitors_session_ends_with_the_browser_and_when_idle(settings) -> None:
    client = Client()
    client.post(reverse("helpdesk_public:step", args=["needs"]), {"needs": ["email"]})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # goes with the browser
    session = client.session
    session[LAST_SEEN] = time.time() - (settings.FINGERPOST_ANONYMOUS_SESSION_IDLE_MINUTES + 1) * 60
    session.save()
    page = client.get(reverse("helpdesk_public:step", args=["needs"])).content.decode()
    assert 'value="email" checked' not in page and "checked" not in page


@pytest.mark.django_db
def test_a_signed_in_persons_session_is_left_alone(settings) -> None:
    client = Client()
    client.force_login(UserFactory())
    client.get(reverse("core:dashboard"))
    assert LAST_SEEN not in client.session


@pytest.mark.django_db
def test_start_again_clears_unfinished_answers() -> None:
    event = EventFactory()
    client = Client()
    client.post(
        reverse("events:book", args=[event.pk]), {"name": "Ada", "email": "ada@example.org"}
    )
    client.post(reverse("helpdesk_public:step", args=["needs"]), {"needs": ["email"]})
    client.post(reverse("helpdesk_public:step", args=["device"]), {"has_device": "yes"})
    client.post(reverse("helpdesk_public:step", args=["internet"]), {"has_internet": "yes"})
    client.post(reverse("helpdesk_public:step", args=["how"]), {"help_modes": ["phone"]})
    client.post(
        reverse("helpdesk_public:step", args=["contact"]),
        {"name": "Margaret Jones", "phone": "", "email": "m@example.org"},
    )
    book_page = client.get(reverse("events:book", args=[event.pk])).content.decode()
    assert "ada@example.org" in book_page and "Start again" in book_page
    client.get(reverse("events:book_start_again", args=[event.pk]))
    assert (
        "ada@example.org"
        not in client.get(reverse("events:book", args=[event.pk])).content.decode()
    )
    assert (
        "Margaret Jones"
        in client.get(reverse("helpdesk_public:step", args=["contact"])).content.decode()
    )
    client.get(reverse("helpdesk_public:start_again"))
    assert (
        "Margaret Jones"
        not in client.get(reverse("helpdesk_public:step", args=["contact"])).content.decode()
    )
