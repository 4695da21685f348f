from typing import Any

from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section

from . import queries


def workspace(user: User) -> Section | None:
    if not user.has_perm("champions.work_as_champion"):
        return None
    return Section(
        "Your volunteering",
        "Requests offered to you, sessions to log, your hours and certificates.",
        [
            Link("Your champion workspace", reverse("champions:workspace")),
            Link("Your profile and availability", reverse("champions:my_profile")),
            Link("Your hours", reverse("champions:my_hours")),
        ],
    )


def coordinate(user: User) -> Section | None:
    if not user.has_perm("champions.coordinate"):
        return None
    return Section(
        "Digital champions",
        "Match waiting requests to champions, keep checks current and count volunteer hours.",
        [
            Link("Champions", reverse("champions:list")),
            Link("Suggest assignments", reverse("champions:propose")),
            Link("Offers to volunteer", reverse("champions:interests")),
            Link("Volunteer hours", reverse("champions:hours")),
        ],
    )


def help_request_panel(request: Any, help_request: Any) -> dict[str, Any] | None:
    """On a help request's page: for coordinators, the champion's answer,
    declines and a link to the ranked suggestions."""
    user = request.user
    if not user.has_perm("champions.coordinate"):
        return None
    return {
        "help_request": help_request,
        "assignment": queries.live_assignment_of_request(help_request),
        "declines": list(queries.declines_of_request(help_request)),
    }
