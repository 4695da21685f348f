"""What the network adds to other pages: a "Your work" section, and what an
organisation offers on its page (for verified members)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section
from fingerpost.organisations.models import Organisation

from . import queries


def your_network(user: User) -> Section | None:
    if not user.has_perm("network.view"):
        return None
    links = [
        Link("Who's who", reverse("network:people")),
        Link("Conversations", reverse("network:topics")),
        Link("Resource library", reverse("network:resources")),
        Link("Shared initiatives", reverse("network:initiatives")),
    ]
    if user.has_perm("network.moderate"):
        links.append(Link("Reported posts", reverse("network:reports")))
    return Section(
        "The network", "Find people, talk, share resources and work on shared initiatives.", links
    )


def organisation_offers(request: Any, organisation: Organisation) -> dict[str, Any] | None:
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("network.view"):
        return None
    return {
        "organisation": organisation,
        "offer": queries.organisation_offer(organisation),
        "may_edit": user.has_perm("network.edit_organisation", organisation),
    }
