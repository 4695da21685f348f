"""Who may do what. Predicates are shared by views, the API and templates."""

import rules

from .roles import Role


@rules.predicate
def is_organiser(user: object) -> bool:
    return getattr(user, "role", None) in {Role.ORGANISER, Role.ADMIN}


@rules.predicate
def is_coordinator(user: object) -> bool:
    return getattr(user, "role", None) in {Role.COORDINATOR, Role.ADMIN}


@rules.predicate
def is_champion(user: object) -> bool:
    return getattr(user, "role", None) == Role.CHAMPION


@rules.predicate
def is_admin(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False)) or getattr(user, "role", None) == Role.ADMIN


rules.add_perm("accounts.use_admin_site", is_admin)
