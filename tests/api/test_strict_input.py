"""The API reads input as strictly as its OpenAPI document describes it."""

import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import issue_api_token

from ..factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_body_that_is_not_a_json_object_is_refused(client: Client) -> None:
    event = EventFactory(audience="public")
    response = client.post(
        f"/api/v1/events/{event.pk}/bookings", data='"AAA"', content_type="application/json"
    )
    assert response.status_code == 400
    assert event.bookings.count() == 0


def test_a_query_field_given_twice_is_refused(client: Client) -> None:
    token = issue_api_token(UserFactory(role=Role.COORDINATOR))
    response = client.get(
        "/api/v1/lending/availability?branch_id=1&branch_id=x",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "branch_id" in response.json()["detail"]


@pytest.mark.parametrize("since", ["0", "1700000000", "2026-13-01"])
def test_a_date_must_be_written_as_a_date(client: Client, since: str) -> None:
    token = issue_api_token(UserFactory(role=Role.COORDINATOR))
    response = client.get(
        f"/api/v1/champions/hours?since={since}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422


def test_a_date_written_as_a_date_is_read(client: Client) -> None:
    token = issue_api_token(UserFactory(role=Role.COORDINATOR))
    response = client.get(
        "/api/v1/champions/hours?since=2026-01-01", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
