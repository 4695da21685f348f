"""The lending API for each kind of caller: availability, holds, issue,
renew, return and the wipe check, with the same rules as the pages."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import issue_api_token
from fingerpost.lending.models import DeviceStatus, Loan, LoanStatus

from ..factories import OrganisationFactory, UserFactory, grant_role
from .factories import BorrowerFactory, BranchFactory, DeviceFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user)}"} if user else {}


@pytest.fixture
def library():
    service = OrganisationFactory(name="Test Libraries", kind="library")
    branch = BranchFactory(parent=service)
    return {
        "service": service,
        "branch": branch,
        "device": DeviceFactory(branch=branch),
        "borrower": BorrowerFactory(branch=branch),
    }


def caller(kind, lib):
    if kind == "anonymous":
        return None
    if kind == "unverified":
        return UserFactory(role="")
    if kind == "two_roles":
        user = UserFactory(role=Role.CHAMPION, role__organisation=lib["service"])
        grant_role(user, Role.COORDINATOR, lib["service"])
        return user
    return UserFactory(role=kind, role__organisation=lib["service"])


def post(client, url, body, user):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


KINDS = ["anonymous", "unverified", *Role.values, "two_roles"]
STAFF = {Role.COORDINATOR, Role.ADMIN, "two_roles"}


@pytest.mark.parametrize("kind", KINDS)
def test_each_operation_for_each_caller(kind, library):
    client = Client()
    user = caller(kind, library)
    device, borrower = library["device"], library["borrower"]
    availability = client.get("/api/v1/lending/availability", **bearer(user))
    # No personal data: any signed-in caller may ask.
    assert availability.status_code == (401 if kind == "anonymous" else 200)
    holds = client.get("/api/v1/lending/holds", **bearer(user))
    issued = post(
        client,
        "/api/v1/lending/loans",
        {"asset_tag": device.asset_tag, "borrower": borrower.reference, "agreement": "screen"},
        user,
    )
    if kind in STAFF:
        assert holds.status_code == 200
        assert issued.status_code == 201, issued.content
        reference = issued.json()["reference"]
        assert client.get(f"/api/v1/lending/loans/{reference}", **bearer(user)).status_code == 200
    else:
        assert holds.status_code in (401, 403)
        assert issued.status_code in (401, 403)
        assert not Loan.objects.exists()


def test_issue_renew_return_and_wipe_check(library):
    client = Client()
    user = caller(Role.COORDINATOR, library)
    device, borrower = library["device"], library["borrower"]
    body = {"asset_tag": device.asset_tag, "borrower": borrower.reference, "agreement": "screen"}
    reference = post(client, "/api/v1/lending/loans", body, user).json()["reference"]
    again = post(client, "/api/v1/lending/loans", body, user)
    assert again.status_code == 409 and "detail" in again.json()
    too_soon = post(client, f"/api/v1/lending/loans/{reference}/renew", {}, user)
    assert too_soon.status_code == 409
    Loan.objects.filter(reference=reference).update(due_on=timezone.localdate() + timedelta(days=1))
    renewed = post(client, f"/api/v1/lending/loans/{reference}/renew", {}, user)
    assert renewed.status_code == 200 and renewed.json()["renewals"] == 1
    returned = post(
        client, f"/api/v1/lending/loans/{reference}/return", {"condition": "good"}, user
    )
    assert returned.status_code == 200 and returned.json()["status"] == LoanStatus.RETURNED
    not_wiped = post(
        client,
        f"/api/v1/lending/devices/{device.asset_tag}/wipe-check",
        {"wiped": False, "checked": True, "condition": "good"},
        user,
    )
    assert not_wiped.status_code == 422 and not_wiped.json()["field"] == "wiped"
    checked = post(
        client,
        f"/api/v1/lending/devices/{device.asset_tag}/wipe-check",
        {"wiped": True, "checked": True, "condition": "good"},
        user,
    )
    assert checked.status_code == 200 and checked.json()["status"] == DeviceStatus.AVAILABLE


def test_holds_and_scope(library):
    client = Client()
    user = caller(Role.COORDINATOR, library)
    other = UserFactory(role=Role.COORDINATOR)
    hold = post(
        client,
        "/api/v1/lending/holds",
        {
            "borrower": library["borrower"].reference,
            "kind": "tablet",
            "branch_id": library["branch"].pk,
        },
        user,
    )
    assert hold.status_code == 201 and hold.json()["status"] == "ready"
    listed = client.get("/api/v1/lending/holds", **bearer(user)).json()
    assert listed["count"] == 1
    assert client.get("/api/v1/lending/holds", **bearer(other)).json()["count"] == 0
    unknown = post(
        client,
        "/api/v1/lending/loans",
        {"asset_tag": library["device"].asset_tag, "borrower": "BNOPE", "agreement": "screen"},
        other,
    )
    assert unknown.status_code == 404
    free = client.get(
        f"/api/v1/lending/availability?kind=tablet&branch_id={library['branch'].pk}", **bearer(user)
    ).json()
    assert free == [
        {
            "branch": library["branch"].name,
            "branch_id": library["branch"].pk,
            "kind": "tablet",
            "available": 0,
            "total": 1,
            "waiting": 0,
        }
    ]
