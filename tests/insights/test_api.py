"""The insights API with a bearer token: the same figures, scope and small-number
rules as the dashboard; the OpenAPI document describes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import issue_api_token
from fingerpost.core.disclosure import HIDDEN_TEXT
from tests.factories import HelpRequestFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/insights/"


def bearer(user: object) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user)}"}  # type: ignore[arg-type]


def _overview(body: dict[str, object]) -> dict[str, dict[str, object]]:
    tables = {t["key"]: t for s in body["sources"] for t in s["tables"]}  # type: ignore[attr-defined]
    return {row["label"]: row["cells"][0] for row in tables["helpdesk.overview"]["rows"]}


def test_a_coordinator_reads_their_figures_with_a_token(client: Client) -> None:
    library, council = OrganisationFactory(name="Library"), OrganisationFactory(name="Council")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    made = timezone.now() - timedelta(days=3)
    for _ in range(7):
        HelpRequestFactory(organisation=library, created_at=made)
    for _ in range(3):
        HelpRequestFactory(organisation=council, created_at=made)
    response = client.get(URL, **bearer(coordinator))
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] is None
    assert [s["name"] for s in body["sources"]] == [
        "helpdesk",
        "champions",
        "lending",
        "events",
        "skills",
    ]
    assert _overview(body)["Requests made"] == {"value": 7, "text": "7", "hidden": False}
    admin = client.get(URL, {"organisation": council.slug}, **bearer(UserFactory(role="admin")))
    assert admin.json()["organisation"] == council.slug
    assert _overview(admin.json())["Requests made"] == {
        "value": None,
        "text": HIDDEN_TEXT,
        "hidden": True,
    }


@pytest.mark.parametrize("role", ["", Role.MEMBER, Role.CHAMPION])
def test_others_are_refused(client: Client, role: str) -> None:
    response = client.get(URL, **bearer(UserFactory(role=role)))
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this"}


def test_a_bad_token_is_refused(client: Client) -> None:
    response = client.get(URL, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_the_openapi_document_describes_the_filters(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/insights/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"start", "end", "organisation", "area"}
