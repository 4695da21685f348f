"""Who may do what in the network. All of it is for verified members only:
an account that is not yet verified sees none of it."""

from typing import Any

import rules

from fingerpost.accounts.rules import is_organiser, is_verified_member

from .models import Board, Card, Initiative, InitiativeMember


def _initiative_of(obj: Any) -> Initiative | None:
    if isinstance(obj, Initiative):
        return obj
    if isinstance(obj, Board):
        return obj.initiative
    if isinstance(obj, Card):
        return obj.board.initiative
    return None


@rules.predicate
def is_initiative_member(user: Any, obj: Any) -> bool:
    initiative = _initiative_of(obj)
    if initiative is None or not getattr(user, "is_authenticated", False):
        return False
    return InitiativeMember.objects.filter(initiative=initiative, user=user).exists()


rules.add_perm("network.view", is_verified_member)
# Organisers look after the network: they hide posts and see reports.
rules.add_perm("network.moderate", is_verified_member & is_organiser)
# An initiative's board is changed by its members (and organisers); every
# verified member may read it and join the initiative.
rules.add_perm("network.edit_board", is_verified_member & (is_initiative_member | is_organiser))


@rules.predicate
def works_at(user: Any, organisation: Any) -> bool:
    from fingerpost.accounts.roles import roles_of

    return getattr(organisation, "pk", None) in roles_of(user).member_of


# What an organisation offers is kept by its own members and by organisers.
rules.add_perm("network.edit_organisation", is_verified_member & (works_at | is_organiser))
