"""The roles people hold in the partnership, and how to read them.

A person's roles belong to their memberships: someone can be a coordinator
and a champion at one library, and a member of a council as well. What they
may see and do is the union of the roles of their *verified* memberships,
each scoped to its organisation. The operator of the system (an
administrator) is a property of the account itself: `is_superuser`.

Roles are read once per request and kept on the user object, so permission
checks in navigation, views and templates cost one query in all.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    CHAMPION = "champion", _("Digital champion")
    COORDINATOR = "coordinator", _("Coordinator")
    ORGANISER = "organiser", _("Organiser")
    ADMIN = "admin", _("Administrator")


# The role flags a membership carries, by role (membership itself is "member").
MEMBERSHIP_ROLE_FIELDS: dict[str, str] = {
    Role.CHAMPION: "is_champion",
    Role.COORDINATOR: "is_coordinator",
    Role.ORGANISER: "is_organiser",
}

_CACHE_ATTRIBUTE = "_fingerpost_roles"


@dataclass(frozen=True)
class RoleSet:
    """Everything a person may do by role: organisation ids for each role."""

    is_admin: bool = False
    is_staff: bool = False
    member_of: frozenset[int] = field(default_factory=frozenset)
    by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    def organisations_for(self, role: str) -> frozenset[int]:
        """The organisations (not yet their branches) where this person holds `role`."""
        if role == Role.MEMBER:
            return self.member_of
        return self.by_role.get(role, frozenset())

    def holds(self, role: str) -> bool:
        """True when any verified membership carries `role` (admin only by the account)."""
        if role == Role.ADMIN:
            return self.is_admin
        return bool(self.organisations_for(role))

    @property
    def names(self) -> list[str]:
        """The roles held, for display ("Coordinator, Digital champion")."""
        held: list[Role] = [role for role in Role if role != Role.MEMBER and self.holds(role)]
        if self.member_of and not held:
            held = [Role.MEMBER]
        return [str(role.label) for role in held]

    @property
    def sees_resident_data(self) -> bool:
        """Champions, coordinators, organisers (attendee lists) and the operator
        see residents' personal data, so they must use two-factor authentication."""
        return (
            self.is_admin
            or self.is_staff
            or any(self.holds(role) for role in MEMBERSHIP_ROLE_FIELDS)
        )


NO_ROLES = RoleSet()


def roles_of(user: Any) -> RoleSet:
    """The union of a person's roles (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    rows = user.memberships.filter(verified_at__isnull=False).values_list(
        "organisation_id", *MEMBERSHIP_ROLE_FIELDS.values()
    )
    member_of: set[int] = set()
    by_role: dict[str, set[int]] = {role: set() for role in MEMBERSHIP_ROLE_FIELDS}
    for organisation_id, *flags in rows:
        member_of.add(organisation_id)
        for role, flag in zip(MEMBERSHIP_ROLE_FIELDS, flags, strict=True):
            if flag:
                by_role[role].add(organisation_id)
    roles = RoleSet(
        is_admin=bool(user.is_superuser),
        is_staff=bool(user.is_staff),
        member_of=frozenset(member_of),
        by_role={role: frozenset(ids) for role, ids in by_role.items()},
    )
    setattr(user, _CACHE_ATTRIBUTE, roles)
    return roles


def forget_roles(user: Any) -> None:
    """Call after changing someone's memberships, so the next check reads them afresh."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
