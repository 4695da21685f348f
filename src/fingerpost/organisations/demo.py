"""Demo organisations and the demo accounts of each role."""

import json
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import MEMBERSHIP_ROLE_FIELDS, Role

from .models import (
    Area,
    Membership,
    Organisation,
    OrganisationKind,
    PostcodeDistrict,
    Verification,
)

DEMO_FILE = Path(__file__).parent / "data" / "demo_organisations.json"
AREAS_FILE = Path(__file__).parent / "data" / "demo_areas.json"
DEMO_PASSWORD = "fingerpost-demo"  # noqa: S105 - public by design, never in production
MEMBERS_PER_SCALE = 20
GROUPS_PER_SCALE = 5


def create_demo_data(*, scale: int) -> dict[str, int]:
    data = json.loads(DEMO_FILE.read_text())
    organisations = _create_organisations(data["organisations"])
    for account in data["accounts"]:
        _create_account(account, organisations[account["organisation"]])
    extra_groups = _create_scaled_groups(scale)
    extra_members = _create_scaled_members(scale, list(organisations.values()) + extra_groups)
    _create_areas(json.loads(AREAS_FILE.read_text())["areas"])
    return {
        "organisations": Organisation.objects.count(),
        "areas": Area.objects.count(),
        "accounts": User.objects.count(),
        "scaled members": extra_members,
    }


def _create_organisations(rows: list[dict[str, str]]) -> dict[str, Organisation]:
    by_name: dict[str, Organisation] = {}
    for row in rows:
        parent = by_name.get(row["parent"]) if row.get("parent") else None
        organisation, _ = Organisation.objects.update_or_create(
            slug=slugify(row["name"]),
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "area": row.get("area", ""),
                "website": row.get("website", ""),
                "description": row.get("description", ""),
                "parent": parent,
                "offers_digital_help": bool(row.get("offers_digital_help", False)),
            },
        )
        by_name[row["name"]] = organisation
    return by_name


def _create_areas(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        area, _ = Area.objects.update_or_create(
            slug=slugify(row["name"]),
            defaults={"name": row["name"], "other_names": row.get("other_names", "")},
        )
        for code, latitude, longitude in row["districts"]:
            PostcodeDistrict.objects.update_or_create(
                code=code, defaults={"area": area, "latitude": latitude, "longitude": longitude}
            )


def _create_account(row: dict[str, str], organisation: Organisation) -> User:
    role = Role(row["role"])
    user = User.objects.filter(email=row["email"]).first()
    if user is None:
        user = User(email=row["email"])
    user.full_name = row["full_name"]
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    roles = {flag: role == flagged for flagged, flag in MEMBERSHIP_ROLE_FIELDS.items()}
    Membership.objects.update_or_create(
        user=user,
        organisation=organisation,
        defaults={
            "job_title": row["job_title"],
            "verified_at": timezone.now(),
            "verification": Verification.APPROVAL,
            **roles,
        },
    )
    return user


def _create_scaled_groups(scale: int) -> list[Organisation]:
    wanted = [
        Organisation(
            name=f"Community group {n}",
            slug=f"community-group-{n}",
            kind=OrganisationKind.VOLUNTARY,
            area="Dorset",
        )
        for n in range(1, GROUPS_PER_SCALE * scale + 1)
    ]
    Organisation.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(Organisation.objects.filter(slug__startswith="community-group-"))


def _create_scaled_members(scale: int, organisations: list[Organisation]) -> int:
    count = MEMBERS_PER_SCALE * scale
    # One hashed password shared by all generated members keeps --scale fast.
    password = User(email="x@example.org")
    password.set_password(None)
    users = [
        User(
            email=f"member{n}@example.org",
            full_name=f"Demo Member {n}",
            password=password.password,
        )
        for n in range(1, count + 1)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True, batch_size=1000)
    created = {
        u.email: u
        for u in User.objects.filter(email__in=[u.email for u in users]).only("id", "email")
    }
    now = timezone.now()
    memberships = [
        Membership(
            user=created[u.email],
            organisation=organisations[n % len(organisations)],
            verified_at=now,
            verification=Verification.APPROVAL,
        )
        for n, u in enumerate(users)
    ]
    Membership.objects.bulk_create(memberships, ignore_conflicts=True, batch_size=1000)
    return count
