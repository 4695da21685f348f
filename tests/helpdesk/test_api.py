import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import issue_api_token
from fingerpost.helpdesk.models import HelpRequest

from ..champions.factories import ready_champion
from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory, grant_role

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
        {"free_days": ["someday"]},
        {"free_parts": ["midnight"]},
        {"free_days": "tue"},
        {"free_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "mon"]},
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
    grant_role(coordinator, Role.COORDINATOR, library)
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


@pytest.mark.django_db
def test_a_coordinators_system_takes_a_request_from_new_to_closed(library) -> None:
    from fingerpost.core.models import AuditEntry

    coordinator = UserFactory(role=Role.COORDINATOR)
    grant_role(coordinator, Role.COORDINATOR, library)
    champion = ready_champion(UserFactory(role=Role.CHAMPION, email="chloe@example.org"))
    request = HelpRequestFactory(organisation=library, name="Pat Resident", consent_to_share=True)
    client = Client()
    url = f"/api/v1/help-requests/{request.reference}"

    def post(what: str, body: dict, user=coordinator):
        return client.post(f"{url}/{what}", body, content_type="application/json", **bearer(user))

    read = client.get(url, **bearer(coordinator))
    assert read.status_code == 200 and read.json()["name"] == "Pat Resident"
    assert AuditEntry.objects.filter(action="view", detail="api").count() == 1
    version = read.json()["version"]
    assigned = post("assign", {"version": version, "champion": "Chloe@Example.org"})
    assert assigned.status_code == 200 and assigned.json()["assigned_to"] == "chloe@example.org"
    stale = post("assign", {"version": version, "champion": "chloe@example.org"})
    assert stale.status_code == 409 and "Someone else changed" in stale.json()["detail"]
    # The champion works on it through the API too once they accept it
    # (not before: an offer shows them no record), but cannot assign.
    reference = assigned.json()["reference"]
    assert client.get(url, **bearer(champion)).status_code == 404
    accepted = client.post(f"/api/v1/champions/mine/{reference}/accept", **bearer(champion))
    assert accepted.status_code == 200
    version = client.get(url, **bearer(champion)).json()["version"]
    assert (
        post("assign", {"version": version, "champion": "x@example.org"}, champion).status_code
        == 403
    )
    reached = post("contact", {"version": version, "reached": True, "note": "Called"}, champion)
    assert reached.status_code == 200 and reached.json()["status"] == "in_progress"
    assert reached.json()["first_contact_at"] is not None
    assert post("notes", {"text": "Brought her tablet"}, champion).status_code == 200
    version = reached.json()["version"]
    vague = post("close", {"version": version, "outcome": "helped"}, champion)
    assert vague.status_code == 422 and "can now do" in vague.json()["detail"]
    closed = post(
        "close",
        {"version": version, "outcome": "helped", "detail": "Books GP appointments online"},
        champion,
    )
    assert closed.status_code == 200 and closed.json()["outcome"] == "helped"
    again = post("contact", {"version": closed.json()["version"], "reached": True})
    assert again.status_code == 409 and "closed" in again.json()["detail"]
    kinds = list(HelpRequest.objects.get(pk=request.pk).timeline.values_list("kind", flat=True))
    assert kinds.count("status") == 2 and kinds[-2:] == ["note", "closed"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANISER, Role.CHAMPION, Role.COORDINATOR])
def test_people_who_may_not_see_a_request_get_404_from_every_operation(library, role) -> None:
    request = HelpRequestFactory(organisation=library, name="Pat Resident")
    outsider = UserFactory(role=role)  # a coordinator of no organisation, a champion not assigned
    client = Client()
    url = f"/api/v1/help-requests/{request.reference}"
    assert client.get(url, **bearer(outsider)).status_code == 404
    for what, body in [
        ("contact", {"version": 1, "reached": True}),
        ("notes", {"text": "Hello"}),
        ("close", {"version": 1, "outcome": "declined"}),
    ]:
        response = client.post(
            f"{url}/{what}", body, content_type="application/json", **bearer(outsider)
        )
        assert response.status_code == 404, what
        assert b"Pat Resident" not in response.content
    assert HelpRequest.objects.get(pk=request.pk).timeline.count() == 0


@pytest.mark.django_db
def test_a_partner_system_gives_when_the_resident_is_free(library) -> None:
    system = UserFactory(role=Role.MEMBER)
    response = Client().post(
        "/api/v1/help-requests/",
        {**BODY, "free_days": ["sat", "tue"], "free_parts": ["evening"]},
        content_type="application/json",
        **bearer(system),
    )
    assert response.status_code == 201
    request = HelpRequest.objects.get(reference=response.json()["reference"])
    assert (request.free_days, request.free_parts) == (["tue", "sat"], ["evening"])
    assert request.free_times_label() == "Tuesday and Saturday: evenings"
    coordinator = UserFactory(role=Role.COORDINATOR)
    grant_role(coordinator, Role.COORDINATOR, request.organisation)
    read = Client().get(f"/api/v1/help-requests/{request.reference}", **bearer(coordinator))
    assert (read.json()["free_days"], read.json()["free_parts"]) == (["tue", "sat"], ["evening"])


@pytest.mark.django_db
def test_a_bad_free_time_is_a_clear_422_naming_the_field(library) -> None:
    response = Client().post(
        "/api/v1/help-requests/",
        {**BODY, "free_days": ["tue", "someday"]},
        content_type="application/json",
        **bearer(UserFactory(role=Role.MEMBER)),
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any("free_days" in error["loc"] for error in detail), detail


def test_the_schema_lists_the_days_and_parts_of_the_day() -> None:
    from fingerpost.api import api

    schema = api.get_openapi_schema()
    text = str(schema)
    assert "free_days" in text and "free_parts" in text
    for value in ("mon", "sun", "morning", "afternoon", "evening"):
        assert f"'{value}'" in text
