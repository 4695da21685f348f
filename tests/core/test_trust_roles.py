"""Role x URL for the trust boundaries: anonymous, an unverified account, each
role, an administrator and a person with two roles (coordinator and champion)."""

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role

from ..factories import EventFactory, UserFactory, grant_role

CALLERS = ["anonymous", "unverified", *[str(r) for r in Role], "two roles"]
VERIFIED = {"member", "champion", "coordinator", "organiser", "admin", "two roles"}


def client_as(caller: str) -> Client:
    client = Client()
    if caller == "anonymous":
        return client
    if caller == "unverified":
        user = UserFactory(role="")
    elif caller == "two roles":
        user = UserFactory(role=Role.COORDINATOR)
        grant_role(user, Role.CHAMPION, user.memberships.get().organisation)
    else:
        user = UserFactory(role=caller)
    client.force_login(user)
    return client


def expected(caller: str, allowed: set[str]) -> int:
    if caller in allowed:
        return 200
    return 302 if caller == "anonymous" else 403


PAGES = {
    "organisations:join": VERIFIED | {"unverified"},
    "organisations:approvals": {"coordinator", "admin", "two roles"},
    "accounts:api_tokens": VERIFIED,
    "core:data_protection": {"admin"},
    "helpdesk:refer": VERIFIED,
    "organisations:people": {"organiser", "admin"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_who_opens_each_page(caller: str, name: str) -> None:
    response = client_as(caller).get(reverse(name))
    assert response.status_code == expected(caller, PAGES[name]), (caller, name)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_who_books_a_staff_only_event_on_the_web_and_in_the_api(caller: str) -> None:
    event = EventFactory(audience="staff")
    client = client_as(caller)
    page = client.get(reverse("events:book", args=[event.pk]))
    assert page.status_code == expected(caller, VERIFIED)
    api = client.post(
        f"/api/v1/events/{event.pk}/bookings",
        {"name": "Someone", "email": "someone@example.org"},
        content_type="application/json",
    )
    assert api.status_code == (201 if caller in VERIFIED else 403)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", CALLERS)
def test_anyone_books_an_event_open_to_residents(caller: str) -> None:
    event = EventFactory(audience="public")
    assert client_as(caller).get(reverse("events:book", args=[event.pk])).status_code == 200
