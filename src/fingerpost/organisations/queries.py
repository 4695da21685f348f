"""Reads about organisations and their people, and the areas they serve."""

import re
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import MEMBERSHIP_ROLE_FIELDS, Role, roles_of

from .models import Area, Membership, Organisation, PostcodeDistrict


def organisations_where(user: Any, role: str) -> QuerySet[Organisation]:
    """The organisations where `user` holds `role` (verified), with their branches:
    a coordinator of the library service covers every library branch."""
    ids = roles_of(user).organisations_for(role)
    if not ids:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))


def holds_role(role: str, *, user: str = "pk") -> Exists:
    """True where the person in the outer query's `user` column holds `role`
    in a verified membership (anywhere): for reads that already join the
    person, so the database need not scan the people again."""
    grants = Membership.objects.filter(user_id=OuterRef(user), verified_at__isnull=False)
    if role != Role.MEMBER:
        grants = grants.filter(**{MEMBERSHIP_ROLE_FIELDS[role]: True})
    return Exists(grants)


def people_with_role(role: str, *, organisation_id: int | None = None) -> QuerySet[User]:
    """Active people holding `role` in a verified membership; with
    `organisation_id`, only those whose role covers that organisation (held
    there or at its parent)."""
    grants = Membership.objects.filter(verified_at__isnull=False)
    if role != Role.MEMBER:
        grants = grants.filter(**{MEMBERSHIP_ROLE_FIELDS[role]: True})
    if organisation_id is not None:
        grants = grants.filter(
            Q(organisation_id=organisation_id) | Q(organisation__branches__pk=organisation_id)
        )
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id"))


def plain_members() -> QuerySet[User]:
    """Verified members who hold no other role anywhere (and are not the operator)."""
    with_roles = Membership.objects.filter(
        Q(is_champion=True) | Q(is_coordinator=True) | Q(is_organiser=True)
    )
    return (
        people_with_role(Role.MEMBER)
        .exclude(is_superuser=True)
        .exclude(pk__in=with_roles.values("user_id"))
    )


def organisation_list(*, kind: str | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("parent").annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__verified_at__isnull=False), distinct=True
        )
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name")


def organisation_detail_queryset(*, with_members: bool) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("parent").prefetch_related("branches")
    if not with_members:
        return organisations
    return organisations.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("user")
            .filter(user__is_active=True, verified_at__isnull=False)
            .order_by("user__full_name"),
        ),
    )


def people_list() -> QuerySet[User]:
    """Verified partner staff, with the organisations they are verified at."""
    verified = Membership.objects.filter(verified_at__isnull=False)
    return (
        User.objects.filter(is_active=True, pk__in=verified.values("user_id"))
        .prefetch_related(Prefetch("memberships", queryset=verified.select_related("organisation")))
        .order_by("full_name", "email")
    )


def help_locations() -> QuerySet[Organisation]:
    """Places (library branches, community projects) where residents can get help in person."""
    return Organisation.objects.filter(offers_digital_help=True).order_by("name")


# A whole postcode ("DT4 7AB", "dt47ab"), or its first half alone ("DT4"),
# optionally followed by the start of the second half ("DT4 7").
_FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)(?: [0-9][A-Z]{0,2})?$")


def postcode_district(text: str) -> str:
    """The postcode district ("DT4") of a postcode or district typed in any
    case and spacing, or "" when the text is not one."""
    spaced = " ".join(text.upper().split())
    full = _FULL_POSTCODE.match(spaced.replace(" ", ""))
    if full:
        return full.group(1)
    district = _DISTRICT.match(spaced)
    return district.group(1) if district else ""


def district_for(text: str) -> PostcodeDistrict | None:
    """The known postcode district a postcode or district is in, with its area."""
    code = postcode_district(text)
    if not code:
        return None
    return PostcodeDistrict.objects.select_related("area").filter(code=code).first()


def area_for(text: str) -> Area | None:
    """The area a resident means by a postcode ("DT4 7AB"), a postcode district
    ("dt4") or a town's name or other name ("Weymouth"); None when unknown."""
    text = " ".join(text.split())
    if not text:
        return None
    district = district_for(text)
    if district is not None:
        return district.area
    wanted = text.casefold()
    for area in Area.objects.all():
        if wanted in (name.casefold() for name in area.names):
            return area
    return None


def area_centre(area: Area) -> tuple[float, float] | None:
    """The middle of an area: the average of its districts' middles, if any are known."""
    points = [
        (d.latitude, d.longitude)
        for d in area.districts.all()
        if d.latitude is not None and d.longitude is not None
    ]
    if not points:
        return None
    return (
        sum(lat for lat, _ in points) / len(points),
        sum(lng for _, lng in points) / len(points),
    )


def approvers_for(organisation: Organisation) -> QuerySet[User]:
    """Who may approve someone joining `organisation`: its coordinators (or
    its parent's) and the administrators."""
    coordinators = people_with_role(Role.COORDINATOR, organisation_id=organisation.pk)
    return User.objects.filter(
        Q(pk__in=coordinators.values("pk")) | Q(is_superuser=True), is_active=True
    ).order_by("email")


def pending_memberships_for(user: Any) -> QuerySet[Membership]:
    """Memberships waiting for `user` to approve: all of them for an administrator,
    those at the organisations a coordinator covers otherwise."""
    pending = Membership.objects.filter(verified_at__isnull=True, user__is_active=True)
    if not roles_of(user).is_admin:
        pending = pending.filter(organisation__in=organisations_where(user, Role.COORDINATOR))
    return pending.select_related("user", "organisation").order_by("joined_at", "pk")


def memberships_of(user: Any) -> QuerySet[Membership]:
    """A person's own memberships, verified or waiting."""
    return Membership.objects.filter(user=user).select_related("organisation")


def organisations_to_join(user: Any) -> QuerySet[Organisation]:
    """Organisations a person may ask to join: those they are not already in."""
    return Organisation.objects.exclude(memberships__user=user).order_by("name")


def first_verified_organisation(user: Any) -> Organisation | None:
    """The organisation a person was first verified at (where a referral comes from)."""
    membership = (
        Membership.objects.filter(user=user, verified_at__isnull=False)
        .select_related("organisation")
        .order_by("verified_at", "pk")
        .first()
    )
    return membership.organisation if membership else None
