from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section

from . import queries


def coordinate_help(user: User) -> Section | None:
    if not user.has_perm("helpdesk.triage"):
        return None
    counts = queries.queue_counts(user)
    queue = reverse("helpdesk:queue")
    return Section(
        "Digital help for residents",
        "Triage new requests, record requests taken by phone or at the counter, "
        "and see how many people were helped.",
        figures=[
            ("New requests", counts["new"], f"{queue}?status=new"),
            ("Waiting for first contact", counts["waiting"], f"{queue}?contact=none"),
            ("Overdue for first contact", counts["overdue"], f"{queue}?contact=overdue"),
        ],
        links=[
            Link("Requests for help", reverse("helpdesk:queue")),
            Link("Record a request", reverse("helpdesk:record")),
            Link("Reports", reverse("helpdesk:report")),
        ],
    )


def help_residents(user: User) -> Section | None:
    if not user.has_perm("helpdesk.work_on_assigned"):
        return None
    return Section(
        "Residents you are helping",
        "The residents you have been asked to help.",
        [Link("Requests assigned to you", reverse("helpdesk:mine"))],
    )


def refer_a_resident(user: User) -> Section | None:
    if not user.has_perm("helpdesk.refer"):
        return None
    return Section(
        "Refer a resident",
        "If someone you work with needs help getting online, refer them with their agreement.",
        [
            Link("Refer a resident", reverse("helpdesk:refer")),
            Link("Residents you referred", reverse("helpdesk:my_referrals")),
        ],
    )


def residents_data(user: User) -> Section | None:
    if not user.has_perm("helpdesk.data_protection"):
        return None
    return Section(
        "Residents' data",
        "Answer a subject access request, or erase a resident's personal data.",
        [Link("A resident's data (access and erasure)", reverse("core:data_protection"))],
    )
