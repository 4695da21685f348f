"""The champions API by who calls it, and what a champion may read."""

import pytest
from django.test import Client
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.champions.models import Assignment, HelpSession
from fingerpost.core.api_auth import issue_api_token
from fingerpost.helpdesk.models import HelpRequest

from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory, grant_role
from .factories import area, ready_champion

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user)}"}


@pytest.fixture
def library():
    return OrganisationFactory(kind="library", name="Weymouth Library")


@pytest.fixture
def people(library):
    both = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    grant_role(both, Role.CHAMPION, library)
    ready_champion(both)
    return {
        "anonymous": None,
        "unverified": UserFactory(role=""),
        Role.MEMBER: UserFactory(role=Role.MEMBER),
        Role.CHAMPION: ready_champion(),
        Role.COORDINATOR: UserFactory(role=Role.COORDINATOR, role__organisation=library),
        Role.ORGANISER: UserFactory(role=Role.ORGANISER),
        Role.ADMIN: UserFactory(role=Role.ADMIN),
        "coordinator+champion": both,
    }


def call(method: str, url: str, user, body=None):
    headers = bearer(user) if user else {}
    client = Client()
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, body or {}, content_type="application/json", **headers)


COORDINATORS = {Role.COORDINATOR, Role.ADMIN, "coordinator+champion"}


def test_reads_by_who_calls(library, people) -> None:
    area("Weymouth", "DT4")
    waiting = HelpRequestFactory(
        organisation=library, area="DT4", status="triaged", help_modes=["library", "phone"]
    )
    for kind, user in people.items():
        signed = user is not None
        listing = call("get", "/api/v1/champions/", user)
        assert listing.status_code == (200 if kind in COORDINATORS else 403 if signed else 401)
        ranked = call("get", f"/api/v1/champions/suggestions/{waiting.reference}", user)
        assert ranked.status_code == (200 if kind in COORDINATORS else 403 if signed else 401)
        mine = call("get", "/api/v1/champions/mine", user)
        champion_like = {Role.CHAMPION, "coordinator+champion", Role.ADMIN}
        assert mine.status_code == (200 if kind in champion_like else 403 if signed else 401)
        hours = call("get", "/api/v1/champions/hours", user)
        assert hours.status_code == (
            200 if kind in COORDINATORS | champion_like else 403 if signed else 401
        )
    body = call(
        "get", f"/api/v1/champions/suggestions/{waiting.reference}", people[Role.COORDINATOR]
    ).json()
    assert body["area"] == "Weymouth" and body["suggestions"]
    assert all(s["reasons"] for s in body["suggestions"])
    # A coordinator of another organisation cannot read its suggestions.
    elsewhere = UserFactory(role=Role.COORDINATOR)
    assert (
        call("get", f"/api/v1/champions/suggestions/{waiting.reference}", elsewhere).status_code
        == 404
    )


def test_assign_accept_log_and_hours_through_the_api(library, people) -> None:
    coordinator, champion = people[Role.COORDINATOR], people[Role.CHAMPION]
    help_request = HelpRequestFactory(
        organisation=library, name="Rosa Resident", phone="07700900123"
    )
    url = f"/api/v1/champions/assign/{help_request.reference}"
    assert (
        call("post", url, champion, {"version": 1, "champion": champion.email}).status_code == 403
    )
    stale = call("post", url, coordinator, {"version": 99, "champion": champion.email})
    assert stale.status_code == 409
    done = call(
        "post", url, coordinator, {"version": help_request.version, "champion": champion.email}
    )
    assert done.status_code == 200 and done.json()["state"] == "offered"
    mine = f"/api/v1/champions/mine/{help_request.reference}"
    before = call("get", mine, champion).json()
    assert before["name"] is None and before["phone"] is None
    # Nobody else reaches it through the champion's endpoints.
    for kind in (Role.COORDINATOR, "coordinator+champion", Role.ADMIN):
        if kind == Role.COORDINATOR:
            assert call("get", mine, people[kind]).status_code == 403
        else:
            assert call("get", mine, people[kind]).status_code == 404
    other = ready_champion()
    assert call("get", mine, other).status_code == 404
    assert call("post", mine + "/accept", other).status_code == 404
    session = {
        "given_on": timezone.localdate().isoformat(),
        "minutes": 60,
        "mode": "phone",
        "confidence_before": 1,
        "confidence_after": 3,
    }
    assert call("post", mine + "/sessions", champion, session).status_code == 409
    accepted = call("post", mine + "/accept", champion).json()
    assert accepted["name"] == "Rosa Resident" and accepted["phone"] == "07700900123"
    assert "referral_source" not in accepted and "safeguarding_concern" not in accepted
    assert call("post", mine + "/sessions", other, session).status_code == 404
    bad = call("post", mine + "/sessions", champion, {**session, "minutes": 1000})
    assert bad.status_code == 422
    logged = call("post", mine + "/sessions", champion, session)
    assert logged.status_code == 201 and logged.json()["minutes"] == 60
    assert HelpSession.objects.get().champion == champion
    own = call("get", "/api/v1/champions/hours", champion).json()
    assert own["total_hours"] == 1.0 and own["by_champion"] == []
    everyone = call("get", "/api/v1/champions/hours", coordinator).json()
    assert everyone["by_champion"][0]["champion_id"] == champion.pk


def test_an_expired_or_full_champion_is_refused_in_the_api(library, people) -> None:
    from datetime import timedelta

    coordinator = people[Role.COORDINATOR]
    expired = ready_champion(check_expires_on=timezone.localdate() - timedelta(days=2))
    full = ready_champion(max_active=1)
    first = HelpRequestFactory(organisation=library)
    assert (
        call(
            "post",
            f"/api/v1/champions/assign/{first.reference}",
            coordinator,
            {"version": first.version, "champion": full.email},
        ).status_code
        == 200
    )
    for champion, status, words in ((expired, 422, "expired"), (full, 409, "1 of 1")):
        help_request = HelpRequestFactory(organisation=library)
        response = call(
            "post",
            f"/api/v1/champions/assign/{help_request.reference}",
            coordinator,
            {"version": help_request.version, "champion": champion.email},
        )
        assert response.status_code == status and words in response.json()["detail"]
        # The help desk's own endpoint refuses the same way.
        response = call(
            "post",
            f"/api/v1/help-requests/{help_request.reference}/assign",
            coordinator,
            {"version": help_request.version, "champion": champion.email},
        )
        assert response.status_code == status
        assert HelpRequest.objects.get(pk=help_request.pk).assigned_to is None


def test_decline_through_the_api(library, people) -> None:
    coordinator, champion = people[Role.COORDINATOR], people[Role.CHAMPION]
    help_request = HelpRequestFactory(organisation=library)
    call(
        "post",
        f"/api/v1/champions/assign/{help_request.reference}",
        coordinator,
        {"version": help_request.version, "champion": champion.email},
    )
    url = f"/api/v1/champions/mine/{help_request.reference}/decline"
    assert call("post", url, champion, {"reason": ""}).status_code == 422
    response = call("post", url, champion, {"reason": "Moving away"})
    assert response.status_code == 200 and response.json()["state"] == "declined"
    assert Assignment.objects.get().decline_reason == "Moving away"
    assert (
        call("get", f"/api/v1/champions/mine/{help_request.reference}", champion).status_code == 404
    )


def test_suggestions_list_the_first_excluded_and_say_how_many(library, people) -> None:
    area("Weymouth", "DT4")
    waiting = HelpRequestFactory(organisation=library, area="DT4", status="triaged")
    # Paused champions are excluded, each with its reason.
    for _ in range(3):
        ready_champion(paused=True)
    url = f"/api/v1/champions/suggestions/{waiting.reference}"
    everyone = call("get", url, people[Role.COORDINATOR]).json()
    assert everyone["excluded_count"] == len(everyone["excluded"]) >= 3
    first = call("get", url + "?excluded_limit=1", people[Role.COORDINATOR]).json()
    assert len(first["excluded"]) == 1
    assert first["excluded_count"] == everyone["excluded_count"]
    too_many = call("get", url + "?excluded_limit=5000", people[Role.COORDINATOR])
    assert too_many.status_code == 422
