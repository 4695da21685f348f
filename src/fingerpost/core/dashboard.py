"""What each role sees on its "Your work" page."""

from dataclasses import dataclass, field

from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Section:
    title: str
    description: str
    links: list[Link] = field(default_factory=list)


def dashboard_sections_for(user: User) -> list[Section]:
    sections = [
        Section(
            "The network",
            "Find partner organisations and the people who work on digital services there.",
            [Link("Browse organisations", reverse("organisations:list"))],
        )
    ]
    sections.append(
        Section(
            "Events",
            "Networking events, code clubs and drop-in sessions across the partnership.",
            [Link("Upcoming events", reverse("events:list"))],
        )
    )
    if user.has_perm("events.manage_event"):
        sections.append(
            Section(
                "Run the partnership",
                "Run events and look after the member directory.",
                [
                    Link("Manage events", reverse("events:manage_list")),
                    Link("Create an event", reverse("events:create")),
                    Link("People in the network", reverse("organisations:people")),
                ],
            )
        )
    if user.role in {Role.COORDINATOR, Role.CHAMPION}:
        sections.append(
            Section(
                "Digital help for residents",
                "Requests for digital help that residents have made will appear here.",
            )
        )
    if user.has_perm("accounts.use_admin_site"):
        sections.append(
            Section(
                "Operate the service",
                "Configuration, accounts and data protection tasks.",
                [Link("Open the admin site", reverse("admin:index"))],
            )
        )
    sections.append(
        Section(
            "Your account",
            "Change your e-mail address, password or two-factor authentication.",
            [
                Link("E-mail addresses", reverse("account_email")),
                Link("Change your password", reverse("account_change_password")),
                Link("Two-factor authentication", reverse("mfa_index")),
            ],
        )
    )
    return sections
