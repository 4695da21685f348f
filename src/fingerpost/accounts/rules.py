"""Who may do what. Predicates are shared by views, the API and templates.

Each predicate asks the union of a person's verified roles (accounts/roles.py).
The administrator counts as an organiser and as a coordinator everywhere;
being a champion is always someone's own (never implied by admin).
Predicates that take an object check the role in the organisation the object
belongs to; apps define those beside their own models.
"""

import rules

from .roles import Role, roles_of


@rules.predicate
def is_admin(user: object) -> bool:
    return roles_of(user).is_admin


@rules.predicate
def is_verified_member(user: object) -> bool:
    """Verified staff of a partner organisation (any role), or the operator.
    An account whose membership is not yet verified is only a person with a login."""
    roles = roles_of(user)
    return roles.is_admin or roles.holds(Role.MEMBER)


@rules.predicate
def is_organiser(user: object) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.holds(Role.ORGANISER)


@rules.predicate
def is_coordinator(user: object) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.holds(Role.COORDINATOR)


@rules.predicate
def is_champion(user: object) -> bool:
    return roles_of(user).holds(Role.CHAMPION)


rules.add_perm("accounts.use_admin_site", is_admin)
# API tokens are for verified partner staff (the API's partner operations need them).
rules.add_perm("accounts.use_api", is_verified_member)
