"""PostgreSQL cannot hold a NUL character: such requests are a 400, never a 500."""

import pytest
from django.test import Client

from ..factories import EventFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/events/bookings/abc%00def/",
        "/get-help/status/abc%00/",
        "/events/?kind=%00",
        "/help-requests/?area=a%00b",
    ],
)
def test_nul_in_the_address_or_query_is_a_400(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_nul_in_a_form_or_json_body_is_a_400(client: Client) -> None:
    event = EventFactory()
    form = client.post(f"/events/{event.pk}/book/", {"name": "A\x00", "email": "a@example.org"})
    assert form.status_code == 400
    api = client.post(
        f"/api/v1/events/{event.pk}/bookings",
        '{"name": "A\\u0000", "email": "a@example.org"}',
        content_type="application/json",
    )
    assert api.status_code == 400 and "NUL" in api.json()["detail"]


@pytest.mark.django_db
def test_nul_in_a_cookie_is_a_400(client: Client) -> None:
    client.cookies["sessionid"] = "\x00abcdefgh"
    assert client.get("/events/").status_code == 400
