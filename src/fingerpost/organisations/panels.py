from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section


def the_network(user: User) -> Section:
    links = [Link("Browse organisations", reverse("organisations:list"))]
    if user.has_perm("organisations.view_people"):
        links.append(Link("People in the network", reverse("organisations:people")))
    return Section(
        "The network",
        "Find partner organisations and the people who work on digital services there.",
        links,
    )
