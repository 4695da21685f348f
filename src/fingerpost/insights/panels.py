from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section


def insights(user: User) -> Section | None:
    if not user.has_perm("insights.view_dashboard"):
        return None
    return Section(
        "Insights",
        "People helped, needs, outcomes, events and skills-check gaps, by month and by "
        "organisation, with charts and downloads.",
        [Link("Insights dashboard", reverse("insights:dashboard"))],
    )
