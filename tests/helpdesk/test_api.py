import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import issue_api_token
from fingerpost.helpdesk.models import HelpRequest
from fingerpost.organisations.models import Membership

from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory

BODY = {
    "needs": ["online_forms"],
    "name": "Pat Resident",
    "phone": "01305 123456",
    "postcode_or_town": "DT1 1AA",
    "consent_to_share": True,
}


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user)}"}


@pytest.fixture
def library(db):
    return OrganisationFactory(name="County Libraries", kind="library")


@pytest.mark.django_db
def test_a_partner_system_creates_a_request_and_reads_its_status(library) -> None:
    system = UserFactory(role=Role.MEMBER)
    client = Client()
    assert (
        client.post("/api/v1/help-requests/", BODY, content_type="application/json").status_code
        == 401
    )
    response = client.post(
        "/api/v1/help-requests/", BODY, content_type="application/json", **bearer(system)
    )
    assert response.status_code == 201
    reference = response.json()["reference"]
    request = HelpRequest.objects.get(reference=reference)
    assert request.channel == "api" and request.referred_by == system
    status = client.get(f"/api/v1/help-requests/{reference}/status", **bearer(system))
    assert status.json() == {"reference": reference, "status": "new", "outcome": ""}
    stranger = UserFactory(role=Role.MEMBER)
    assert (
        client.get(f"/api/v1/help-requests/{reference}/status", **bearer(stranger)).status_code
        == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"needs": []},
        {"needs": ["flying"]},
        {"consent_to_share": False},
        {"phone": "", "email": ""},
        {"name": "x" * 151},
        {"help_modes": ["telepathy"]},
        {"consent_to_share": "maybe"},
    ],
)
def test_bad_requests_get_422_and_create_nothing(library, change) -> None:
    user = UserFactory(role=Role.MEMBER)
    response = Client().post(
        "/api/v1/help-requests/",
        {**BODY, **change},
        content_type="application/json",
        **bearer(user),
    )
    assert response.status_code == 422
    assert "detail" in response.json()
    assert not HelpRequest.objects.exists()


@pytest.mark.django_db
def test_coordinators_list_and_triage_with_version_checks(library) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    Membership.objects.create(user=coordinator, organisation=library)
    request = HelpRequestFactory(organisation=library)
    HelpRequestFactory(organisation=OrganisationFactory(kind="library"))  # not theirs
    client = Client()
    listing = client.get("/api/v1/help-requests/", **bearer(coordinator)).json()
    assert [item["reference"] for item in listing["items"]] == [request.reference]
    url = f"/api/v1/help-requests/{request.reference}"
    ok = client.patch(
        url,
        {"version": request.version, "priority": 4, "needs": ["email"]},
        content_type="application/json",
        **bearer(coordinator),
    )
    assert ok.status_code == 200 and ok.json()["status"] == "triaged"
    stale = client.patch(
        url,
        {"version": request.version, "priority": 1, "needs": ["email"]},
        content_type="application/json",
        **bearer(coordinator),
    )
    assert stale.status_code == 409 and "Someone else changed" in stale.json()["detail"]
    member = UserFactory(role=Role.MEMBER)
    assert client.get("/api/v1/help-requests/", **bearer(member)).status_code == 403
    assert (
        client.patch(
            url,
            {"version": 2, "priority": 1, "needs": ["email"]},
            content_type="application/json",
            **bearer(member),
        ).status_code
        == 403
    )
