"""Who may see which figures, and the choices for the filters. The figures
themselves come from the sources the apps register (core.registry.add_insight)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.organisations.models import Area, Organisation, PostcodeDistrict
from fingerpost.organisations.queries import organisations_where


def scope_for(user: Any) -> frozenset[int] | None:
    """The organisations whose figures `user` may see: where they coordinate or
    organise, with branches; None for an admin (the whole partnership)."""
    if roles_of(user).is_admin:
        return None
    ids: set[int] = set()
    for role in (Role.COORDINATOR, Role.ORGANISER):
        ids.update(organisations_where(user, role).values_list("pk", flat=True))
    return frozenset(ids)


def organisations_for(scope: frozenset[int] | None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.only("pk", "name", "slug").order_by("name")
    return organisations if scope is None else organisations.filter(pk__in=scope)


def areas() -> QuerySet[Area]:
    return Area.objects.prefetch_related(
        Prefetch("districts", queryset=PostcodeDistrict.objects.only("code", "area_id"))
    ).order_by("name")


def area_terms(area: Area) -> tuple[str, ...]:
    """Every way a record may name the area: its names and postcode districts."""
    return tuple(
        sorted({name.upper() for name in area.names} | {d.code for d in area.districts.all()})
    )


def with_branches(organisation: Organisation) -> frozenset[int]:
    """An organisation and its branches: the library service's figures include its libraries."""
    return frozenset(
        Organisation.objects.filter(
            Q(pk=organisation.pk) | Q(parent_id=organisation.pk)
        ).values_list("pk", flat=True)
    )
