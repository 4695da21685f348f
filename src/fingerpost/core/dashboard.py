"""What each role sees on its "Your work" page."""

from dataclasses import dataclass, field

from django.urls import reverse

from fingerpost.accounts.models import User


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
    if user.has_perm("helpdesk.triage"):
        sections.append(
            Section(
                "Digital help for residents",
                "Triage new requests, record requests taken by phone or at the counter, "
                "and see how many people were helped.",
                [
                    Link("Requests for help", reverse("helpdesk:queue")),
                    Link("Record a request", reverse("helpdesk:record")),
                    Link("Reports", reverse("helpdesk:report")),
                ],
            )
        )
    if user.has_perm("helpdesk.work_on_assigned"):
        sections.append(
            Section(
                "Digital help for residents",
                "The residents you have been asked to help.",
                [Link("Requests assigned to you", reverse("helpdesk:mine"))],
            )
        )
    sections.append(
        Section(
            "Refer a resident",
            "If someone you work with needs help getting online, refer them with their agreement.",
            [
                Link("Refer a resident", reverse("helpdesk:refer")),
                Link("Residents you referred", reverse("helpdesk:my_referrals")),
            ],
        )
    )
    if user.has_perm("accounts.use_admin_site"):
        sections.append(
            Section(
                "Operate the service",
                "Configuration, accounts and data protection tasks.",
                [
                    Link("Open the admin site", reverse("admin:index")),
                    Link(
                        "A resident's data (access and erasure)",
                        reverse("helpdesk:data_protection"),
                    ),
                    Link("Audit log", reverse("admin:core_auditentry_changelist")),
                ],
            )
        )
    sections.append(
        Section(
            "Your account",
            "Change your email address, password or two-factor authentication.",
            [
                Link("Email addresses", reverse("account_email")),
                Link("Change your password", reverse("account_change_password")),
                Link("Two-factor authentication", reverse("mfa_index")),
            ],
        )
    )
    return sections
