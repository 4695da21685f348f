"""Staff-only events (finding 2): a verified member, signed in, on the web and
in the API alike; open events stay open to anyone without an account."""

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role
from fingerpost.core import api_auth
from fingerpost.core.errors import NotAllowed
from fingerpost.events import services
from fingerpost.events.models import Booking

from ..factories import EventFactory, OrganisationFactory, UserFactory, grant_role

API = "/api/v1/events"
BODY = {"name": "Stranger", "email": "stranger@example.org", "organisation": "Nowhere"}


@pytest.fixture
def staff_event(db):
    return EventFactory(audience="staff", capacity=1)


def test_an_anonymous_visitor_is_sent_to_sign_in(staff_event) -> None:
    for name in ["events:book", "events:book_questions", "events:book_check"]:
        response = Client().get(reverse(name, args=[staff_event.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    response = Client().post(reverse("events:book", args=[staff_event.pk]), BODY)
    assert response.status_code == 302 and not Booking.objects.exists()


def test_the_event_page_says_sign_in_rather_than_book(staff_event) -> None:
    page = Client().get(reverse("events:detail", args=[staff_event.pk])).content.decode()
    assert "Sign in with your work account" in page
    assert reverse("events:book", args=[staff_event.pk]) not in page


def test_an_unverified_account_is_told_why_and_books_nothing(staff_event) -> None:
    client = Client()
    client.force_login(UserFactory(role=""))
    response = client.get(reverse("events:book", args=[staff_event.pk]))
    assert response.status_code == 403
    assert b"Only partner staff can book this event" in response.content


def test_a_full_staff_event_offers_its_waiting_list_only_to_members(staff_event) -> None:
    services.book_places(
        event_id=staff_event.pk, name="First", email="first@example.org", by=UserFactory()
    )
    with pytest.raises(NotAllowed):
        services.book_places(event_id=staff_event.pk, name="Second", email="second@example.org")
    assert Booking.objects.count() == 1


def test_a_verified_member_gets_a_form_filled_in_from_the_account(staff_event) -> None:
    council = OrganisationFactory(name="Dorset Council")
    member = UserFactory(full_name="Ada Member", role=Role.MEMBER, role__organisation=council)
    client = Client()
    client.force_login(member)
    page = client.get(reverse("events:book", args=[staff_event.pk])).content.decode()
    assert 'value="Ada Member"' in page
    assert f'value="{member.email}"' in page
    assert 'value="Dorset Council"' in page


def test_a_person_with_two_roles_books_a_staff_event(staff_event) -> None:
    person = UserFactory(role=Role.CHAMPION)
    grant_role(person, Role.COORDINATOR)
    client = Client()
    client.force_login(person)
    assert client.get(reverse("events:book", args=[staff_event.pk])).status_code == 200


def test_the_public_can_still_book_an_event_open_to_residents(db) -> None:
    event = EventFactory(audience="public")
    assert Client().get(reverse("events:book", args=[event.pk])).status_code == 200
    response = Client().post(f"{API}/{event.pk}/bookings", BODY, content_type="application/json")
    assert response.status_code == 201


def test_the_api_refuses_anonymous_and_unverified_callers(staff_event) -> None:
    response = Client().post(
        f"{API}/{staff_event.pk}/bookings", BODY, content_type="application/json"
    )
    assert response.status_code == 403
    unverified = UserFactory(role="")
    response = Client().post(
        f"{API}/{staff_event.pk}/bookings",
        BODY,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_auth.issue_api_token(unverified)}"},
    )
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_the_api_books_a_staff_event_for_a_verified_member(staff_event) -> None:
    member = UserFactory()
    response = Client().post(
        f"{API}/{staff_event.pk}/bookings",
        BODY,
        content_type="application/json",
        headers={"Authorization": f"Bearer {api_auth.issue_api_token(member)}"},
    )
    assert response.status_code == 201, response.content
