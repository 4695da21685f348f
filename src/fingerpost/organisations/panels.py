from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section

from .queries import memberships_of, pending_memberships_for


def the_network(user: User) -> Section:
    links = [Link("Browse organisations", reverse("organisations:list"))]
    if user.has_perm("organisations.view_people"):
        links.append(Link("People in the network", reverse("organisations:people")))
    return Section(
        "The network",
        "Find partner organisations and the people who work on digital services there.",
        links,
    )


def your_membership(user: User) -> Section | None:
    """Tells someone not yet verified what happens next, and approvers who waits."""
    if user.has_perm("organisations.approve_members"):
        waiting = pending_memberships_for(user).count()
        if waiting:
            return Section(
                "People waiting to join",
                f"{waiting} {'person is' if waiting == 1 else 'people are'} waiting for "
                "you to check they work or volunteer for a partner organisation.",
                [Link("Approve or decline", reverse("organisations:approvals"))],
            )
    if user.has_perm("organisations.view_members"):
        return None
    asked = [m.organisation.name for m in memberships_of(user) if not m.is_verified]
    description = (
        f"You have asked to join {', '.join(asked)}. A coordinator or administrator will "
        "check that you work or volunteer there, and we will email you. Until then you can "
        "manage your account and book public events."
        if asked
        else "Your account is not yet a member of a partner organisation. Until it is, you "
        "can manage your account and book public events."
    )
    return Section(
        "Your membership",
        description,
        [Link("Join your organisation", reverse("organisations:join"))],
    )
