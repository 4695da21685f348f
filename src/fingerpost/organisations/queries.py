"""Reads about organisations and their people."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import MEMBERSHIP_ROLE_FIELDS, Role, roles_of

from .models import Membership, Organisation


def organisations_where(user: Any, role: str) -> QuerySet[Organisation]:
    """The organisations where `user` holds `role` (verified), with their branches:
    a coordinator of the library service covers every library branch."""
    ids = roles_of(user).organisations_for(role)
    if not ids:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))


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
