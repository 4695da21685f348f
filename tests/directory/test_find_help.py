"""Finding help near you (no account), a location's page, the organisation
page panel, handing over to the help desk, and coordinators keeping their
locations current (with the stale-location reminder)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.directory.models import HelpLocation, OpeningException
from fingerpost.directory.services import place_from_postcode, remind_about_stale_locations
from fingerpost.organisations.queries import area_for, postcode_district
from tests.factories import EventFactory, OrganisationFactory, UserFactory
from tests.querycount import assert_flat_query_count

from .factories import EbookServiceFactory, HelpLocationFactory, dorset_areas

pytestmark = pytest.mark.django_db


def _checked(page: str) -> list[str]:
    """The values of the ticked boxes on a page."""
    inputs = [part.split(">")[0] for part in page.split("<input")[1:]]
    return [i.split('value="')[1].split('"')[0] for i in inputs if " checked" in i]


def _placed(**kwargs: Any) -> HelpLocation:
    location = HelpLocationFactory(**kwargs)
    place_from_postcode(location)
    location.save()
    return location


@pytest.fixture
def places() -> dict[str, HelpLocation]:
    dorset_areas()
    return {
        "weymouth": _placed(name="Weymouth Library", slug="weymouth-library"),
        "dorchester": _placed(
            name="Dorchester Library",
            slug="dorchester-library",
            town="Dorchester",
            postcode="DT1 1EE",
            latitude=50.7146,
            longitude=-2.438,
            needs=["video_calls", "online_forms"],
        ),
        "blandford": _placed(
            name="Blandford Library",
            slug="blandford-library",
            town="Blandford Forum",
            postcode="DT11 7DW",
            latitude=50.8565,
            longitude=-2.163,
            needs=["online_forms"],
        ),
    }


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("DT4 7AB", "DT4"),
        ("dt47ab", "DT4"),
        ("dt4", "DT4"),
        (" DT11  7DW ", "DT11"),
        ("DT4 7", "DT4"),
        ("Weymouth", ""),
        ("", ""),
        ("12345", ""),
    ],
)
def test_postcode_district(text: str, district: str) -> None:
    assert postcode_district(text) == district


def test_area_for_postcodes_districts_and_towns() -> None:
    areas = dorset_areas()
    for text in ["DT4 7AB", "dt4", "Weymouth", "weymouth", "DT3 5AA"]:
        assert area_for(text) == areas["Weymouth"], text
    assert area_for("Blandford") == areas["Blandford Forum"]
    assert area_for("DT11 7DW") == areas["Blandford Forum"]
    assert area_for("Narnia") is None
    assert area_for("ZZ9 9ZZ") is None


def test_nearest_place_offering_the_help_comes_first(
    client: Client, places: dict[str, HelpLocation]
) -> None:
    page = client.get("/find-help/", {"place": "DT4 7AB", "need": "video_calls"}).content.decode()
    assert page.index("Weymouth Library") < page.index("Dorchester Library")
    assert "Blandford Library" not in page  # does not offer video calls
    assert "2 places near Weymouth" in page


def test_unknown_place_says_what_to_enter(client: Client, places: dict[str, Any]) -> None:
    response = client.get("/find-help/", {"place": "Narnia"})
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "We do not know that place" in page
    assert "Weymouth Library" not in page


def test_search_page_makes_the_same_queries_however_many_places(
    client: Client, places: dict[str, Any]
) -> None:
    def add_more() -> None:
        for _ in range(3):
            _placed()

    assert_flat_query_count(client, "/find-help/?place=DT4&need=video_calls", add_more)


def test_location_page_shows_hours_changes_help_and_sessions(
    client: Client, places: dict[str, HelpLocation]
) -> None:
    weymouth = places["weymouth"]
    OpeningException.objects.create(
        location=weymouth, date=date.today() + timedelta(days=3), closed=True, reason="Bank holiday"
    )
    EventFactory(
        title="Tablet drop-in",
        kind="drop_in",
        audience="public",
        organisation=weymouth.organisation,
    )
    EventFactory(title="Staff networking", organisation=weymouth.organisation)
    EbookServiceFactory(name="Branch e-books", organisation=weymouth.organisation)
    page = client.get(weymouth.get_absolute_url()).content.decode()
    for text in [
        "1 High Street",
        "9:30am to 5pm",
        "Bank holiday",
        "Video calls with family and friends",
        "Tablet drop-in",
        "Branch e-books",
        "01305 000000",
        "openstreetmap.org",
    ]:
        assert text in page, text
    assert "Staff networking" not in page


def test_hidden_location_is_not_found(client: Client) -> None:
    hidden = HelpLocationFactory(is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_organisation_page_shows_its_help_locations(
    client: Client, places: dict[str, HelpLocation]
) -> None:
    weymouth = places["weymouth"]
    EventFactory(
        title="Video call drop-in",
        kind="drop_in",
        audience="public",
        organisation=weymouth.organisation,
    )
    page = client.get(weymouth.organisation.get_absolute_url()).content.decode()
    assert "Digital help at Weymouth Library" in page
    assert "9:30am to 5pm" in page
    assert "Video call drop-in" in page
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title  # panels are not in the page title


def test_asking_for_help_from_a_search_prefills_the_need(
    client: Client, places: dict[str, Any]
) -> None:
    response = client.post("/find-help/ask-for-help/", {"need": "video_calls"})
    assert response.status_code == 302
    assert response["Location"] == "/get-help/ask/needs/"
    page = client.get("/get-help/ask/needs/").content.decode()
    assert _checked(page) == ["video_calls"]


def test_get_help_page_points_to_the_search(client: Client) -> None:
    assert 'href="/find-help/"' in client.get("/get-help/").content.decode()


def test_ebooks_page(client: Client) -> None:
    EbookServiceFactory(name="Library e-audiobooks", kind="eaudiobooks")
    page = client.get("/find-help/e-books/").content.decode()
    assert "Library e-audiobooks" in page and "library card" in page


# Coordinators ---------------------------------------------------------------


@pytest.fixture
def coordinator_and_place() -> tuple[Any, HelpLocation]:
    dorset_areas()
    location = _placed(name="Weymouth Library", slug="weymouth-library")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=location.organisation)
    return coordinator, location


@pytest.mark.parametrize("role", [Role.MEMBER, Role.CHAMPION, Role.ORGANISER, ""])
def test_only_coordinators_manage_locations(
    client: Client, coordinator_and_place: Any, role: str
) -> None:
    client.force_login(UserFactory(role=role))
    assert client.get("/find-help/manage/").status_code == 403


def test_coordinators_see_only_their_own_locations(
    client: Client, coordinator_and_place: Any
) -> None:
    coordinator, _location = coordinator_and_place
    other = HelpLocationFactory(name="Elsewhere", slug="elsewhere")
    client.force_login(coordinator)
    listing = client.get("/find-help/manage/").content.decode()
    assert "Weymouth Library" in listing and "Elsewhere" not in listing
    assert client.get(f"/find-help/manage/{other.slug}/").status_code == 404
    assert client.post(f"/find-help/manage/{other.slug}/confirm/").status_code == 404
    admin = UserFactory(role=Role.ADMIN)
    client.force_login(admin)
    assert client.get(f"/find-help/manage/{other.slug}/").status_code == 200


def test_coordinator_updates_details_and_help_offered(
    client: Client, coordinator_and_place: Any
) -> None:
    coordinator, location = coordinator_and_place
    location.reviewed_at = timezone.now() - timedelta(days=400)
    location.save()
    client.force_login(coordinator)
    data = {
        "name": "Weymouth Library",
        "address_line_1": "Great George Street",
        "town": "Dorchester",
        "postcode": "dt1 1ee",
        "needs": ["email", "staying_safe"],
        "booking_required": "on",
        "how_to_book": "Phone us",
    }
    response = client.post(f"/find-help/manage/{location.slug}/", data)
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.postcode == "DT1 1EE"
    assert location.area is not None and location.area.name == "Dorchester"
    assert location.latitude == pytest.approx(50.7154)  # moved: from the new district
    assert sorted(n.need for n in location.needs.all()) == ["email", "staying_safe"]
    assert not location.is_stale() and location.reviewed_by == coordinator


def test_bad_details_change_nothing(client: Client, coordinator_and_place: Any) -> None:
    coordinator, location = coordinator_and_place
    client.force_login(coordinator)
    response = client.post(f"/find-help/manage/{location.slug}/", {"name": "", "needs": []})
    assert response.status_code == 200
    assert "Select the help offered here" in response.content.decode()
    location.refresh_from_db()
    assert location.name == "Weymouth Library"


def test_coordinator_sets_hours_and_a_bank_holiday(
    client: Client, coordinator_and_place: Any
) -> None:
    coordinator, location = coordinator_and_place
    client.force_login(coordinator)
    response = client.post(
        f"/find-help/manage/{location.slug}/hours/",
        {"opens_1": "10:00", "closes_1": "16:30", "opens_3": "9am", "closes_3": "1pm"},
    )
    assert response.status_code == 302
    assert [str(h) for h in location.opening_hours.all()] == [
        "Tuesday 10:00 to 16:30",
        "Thursday 09:00 to 13:00",
    ]
    bad = client.post(f"/find-help/manage/{location.slug}/hours/", {"opens_2": "10:00"})
    assert "Enter both times for Wednesday" in bad.content.decode()
    assert location.opening_hours.count() == 2
    day = (date.today() + timedelta(days=10)).strftime("%d/%m/%Y")
    client.post(
        f"/find-help/manage/{location.slug}/changes/",
        {"date": day, "closed": "yes", "reason": "Bank holiday"},
    )
    exception = location.opening_exceptions.get()
    assert exception.closed and exception.reason == "Bank holiday"
    again = client.post(
        f"/find-help/manage/{location.slug}/changes/", {"date": day, "closed": "yes"}
    )
    assert "already a change" in again.content.decode()
    past = client.post(
        f"/find-help/manage/{location.slug}/changes/", {"date": "01/01/2000", "closed": "yes"}
    )
    assert "today or in the future" in past.content.decode()
    client.post(f"/find-help/manage/{location.slug}/changes/{exception.pk}/remove/")
    assert not location.opening_exceptions.exists()


def test_stale_locations_are_flagged_and_coordinators_reminded_once(
    client: Client, coordinator_and_place: Any, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator, location = coordinator_and_place
    location.reviewed_at = timezone.now() - timedelta(days=200)
    location.save()
    client.force_login(coordinator)
    assert "Needs checking" in client.get("/find-help/manage/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_about_stale_locations() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coordinator.email]
    assert f"/find-help/manage/{location.slug}/" in mail.outbox[0].body
    assert remind_about_stale_locations() == 0  # once
    client.post(f"/find-help/manage/{location.slug}/confirm/")
    location.refresh_from_db()
    assert not location.is_stale() and location.stale_reminder_sent_at is None
    later = timezone.now() + timedelta(days=200)
    assert remind_about_stale_locations(now=later) == 1  # stale again, reminded again


def test_dashboard_shows_locations_needing_checks(
    client: Client, coordinator_and_place: Any
) -> None:
    coordinator, location = coordinator_and_place
    location.reviewed_at = timezone.now() - timedelta(days=200)
    location.save()
    client.force_login(coordinator)
    page = client.get("/dashboard/").content.decode()
    assert "Help locations" in page and "Need checking" in page


def test_public_pages_for_everyone(client: Client, places: dict[str, Any]) -> None:
    OrganisationFactory()
    for url in ["/find-help/", "/find-help/e-books/", places["weymouth"].get_absolute_url(), "/"]:
        assert client.get(url).status_code == 200, url
