"""What lending adds to other pages: its "Your work" section and the loans
on a help request's page (for whoever may see the request: its champion or
coordinators)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.core.registry import Link, Section

from . import queries


def lend_devices(user: User) -> Section | None:
    if not user.has_perm("lending.manage"):
        return None
    overdue = queries.loan_list(user, overdue=True).count()
    links = [
        Link("Devices", reverse("lending:inventory")),
        Link("Borrowers", reverse("lending:borrowers")),
        Link("Holds", reverse("lending:holds")),
        Link("Overdue loans", reverse("lending:overdue")),
    ]
    if user.has_perm("lending.edit_rules"):
        links.append(Link("Loan rules", reverse("lending:rules")))
    return Section(
        "Device lending",
        "Lend tablets, laptops and data SIMs: holds, loans, returns and the wipe check.",
        links,
        figures=[("Loans overdue", overdue, reverse("lending:overdue"))],
    )


def help_request_loans(request: Any, help_request: Any) -> dict[str, Any] | None:
    """The page showing `help_request` has already checked who may see it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return {
        "help_request": help_request,
        "loans": queries.loans_for_help_request(help_request),
        "holds": queries.holds_for_help_request(help_request),
        "can_manage": user.has_perm("lending.manage"),
    }
