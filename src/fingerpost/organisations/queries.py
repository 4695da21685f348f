"""Reads about organisations and their people."""

from django.db.models import Count, Prefetch, QuerySet

from fingerpost.accounts.models import User

from .models import Membership, Organisation


def organisation_list(*, kind: str | None = None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.select_related("parent").annotate(
        member_count=Count("memberships", distinct=True)
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
            .filter(user__is_active=True)
            .order_by("user__full_name"),
        ),
    )


def people_list() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
        )
        .order_by("full_name", "email")
    )


def help_locations() -> QuerySet[Organisation]:
    """Places (library branches, community projects) where residents can get help in person."""
    return Organisation.objects.filter(offers_digital_help=True).order_by("name")
