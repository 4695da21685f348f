"""What a person booking for the first time sees: the places question, the
offer to book the places left, a confirmation that names the event, Back
after booking, and GOV.UK times. Each page passes axe."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page

from fingerpost.events.models import Booking
from tests.factories import BookingFactory, EventFactory

from .axe import assert_no_axe_violations as assert_no_problems
from .pages import submit, visit

LONDON = ZoneInfo("Europe/London")


def test_a_group_larger_than_the_places_left_is_offered_them(page: Page) -> None:
    event = EventFactory(
        title="Code club",
        audience="public",
        capacity=3,
        max_places_per_booking=4,
        starts_at=datetime(2030, 6, 3, 10, 30, tzinfo=LONDON),
        ends_at=datetime(2030, 6, 3, 12, 0, tzinfo=LONDON),
    )
    BookingFactory(event=event, places=2)

    visit(page, event.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "10:30am to midday" in main and "a.m." not in main

    visit(page, f"/events/{event.pk}/book/")
    assert "There is 1 place left" in page.locator("main").inner_text()
    assert_no_problems(page, "the places question")
    page.get_by_label("Your full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("How many places do you need?").select_option("3")
    submit(page)

    assert "Only 1 place left" in page.locator("main").inner_text()
    assert_no_problems(page, "check answers with too few places left")
    with page.expect_navigation():
        page.get_by_role("button", name="Book the 1 place left").click()

    heading = page.locator("h1").inner_text()
    assert heading == "Your place is booked"
    summary = page.locator("main").inner_text()
    assert "Code club" in summary and "Monday 3 June 2030" in summary
    assert "10:30am to midday" in summary
    assert page.title().startswith("Your place is booked \N{EN DASH} Code club")
    assert_no_problems(page, "the confirmation")
    assert Booking.objects.get(email="ada@example.org").places == 1

    page.go_back()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Your place is booked"
    assert "Your answers were not saved" not in page.locator("body").inner_text()


def test_the_waiting_list_result_offers_no_place_to_cancel(page: Page) -> None:
    event = EventFactory(title="Full code club", capacity=1, audience="public")
    BookingFactory(event=event)
    visit(page, f"/events/{event.pk}/book/")
    page.get_by_label("Your full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    submit(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Join the waiting list").click()
    main = page.locator("main").inner_text()
    assert "You are on the waiting list" in main and "Full code club" in main
    assert "Add this event to your calendar" not in main
    assert "cancel your booking" not in main.lower()
    assert_no_problems(page, "the waiting-list result")


def test_the_api_reference_passes_axe(page: Page) -> None:
    visit(page, "/api/v1/docs")
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.locator("main").count() == 1
    assert "GET /api/v1/events/" in page.locator("main").inner_text()
    assert_no_problems(page, "the API reference")
