"""Who can see which requests. Every lookup of a request starts here, so a
wrong role or a guessed reference finds nothing (404), never data."""

from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role, roles_of
from fingerpost.accounts.rules import is_coordinator
from fingerpost.organisations.models import Organisation
from fingerpost.organisations.queries import organisations_where

from .models import HelpRequest, HelpRequestNeed, Status, TimelineEntry

# What a row of the queue (web or API) shows.
QUEUE_COLUMNS = (
    "reference",
    "status",
    "priority",
    "area",
    "created_at",
    "first_contact_at",
    "safeguarding_concern",
    "assigned_to",
)


def organisations_coordinated_by(user: User) -> QuerySet[Organisation]:
    """A coordinator's organisations and their branches."""
    return organisations_where(user, Role.COORDINATOR)


def requests_visible_to(user: Any) -> QuerySet[HelpRequest]:
    """Requests whose residents' details this person may see."""
    roles = roles_of(user)
    if roles.is_admin:
        return HelpRequest.objects.all()
    # The union of what each role opens: a coordinator who is also a champion
    # sees their organisations' requests and the ones assigned to them.
    scopes: list[Q] = []
    if roles.holds(Role.COORDINATOR):
        scopes.append(Q(organisation__in=organisations_coordinated_by(user)))
        # The safeguarding lead alerted about a concern can open the request.
        # Asked apart (a tiny indexed query) so the usual case, someone who
        # leads nowhere, keeps a plain filter the queue's index can serve.
        led = list(Organisation.objects.filter(safeguarding_lead=user).values_list("pk", flat=True))
        if led:
            scopes.append(Q(organisation_id__in=led, safeguarding_concern=True))
    if roles.holds(Role.CHAMPION):
        scopes.append(Q(assigned_to=user))
    if not scopes:
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(reduce(or_, scopes))


def person_with_email(email: str) -> User | None:
    """Whoever has this email address (a champion to assign, say), or None."""
    return User.objects.filter(email__iexact=email.strip()).first()


def referrals_made_by(user: Any) -> QuerySet[HelpRequest]:
    """Partner staff see only the status of referrals they made."""
    if not getattr(user, "is_authenticated", False):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(referred_by=user).only(
        "reference", "status", "outcome", "created_at", "closed_at"
    )


def queue(
    user: Any,
    *,
    status: str = "",
    need: str = "",
    area: str = "",
    priority: int | None = None,
    help_mode: str = "",
    older_than_days: int | None = None,
    now: datetime | None = None,
) -> QuerySet[HelpRequest]:
    """The triage queue: open requests, new ones first, then by priority and age.

    Only the columns a queue row shows are read, in the order of the
    helpreq_queue_order index, so a page costs the same at any volume."""
    requests = (
        requests_visible_to(user)
        .select_related("assigned_to")
        .only(*QUEUE_COLUMNS, "assigned_to__full_name", "assigned_to__email")
    )
    requests = requests.filter(status=status) if status else requests.exclude(status=Status.CLOSED)
    if need:
        requests = requests.filter(
            pk__in=HelpRequestNeed.objects.filter(need=need).values("request_id")
        )
    if area:
        requests = requests.filter(area__iexact=area)
    if priority:
        requests = requests.filter(priority=priority)
    if help_mode:
        requests = (
            requests.filter(help_modes__contains=[help_mode])
            if _json_contains()
            else (requests.filter(help_modes__icontains=f'"{help_mode}"'))
        )
    if older_than_days:
        now = now or timezone.now()
        requests = requests.filter(created_at__lt=now - timedelta(days=older_than_days))
    # New first, then the most urgent, then the oldest.
    return requests.prefetch_related("needs").order_by(
        "queue_rank", "-priority", "created_at", "pk"
    )


def _json_contains() -> bool:
    from django.db import connection

    return bool(connection.features.supports_json_field_contains)


def sees_restricted_notes(user: Any, request: HelpRequest) -> bool:
    """Safeguarding notes are for the coordinators of the request's organisation
    and its safeguarding lead, not for a champion (even one who coordinates elsewhere)."""
    if roles_of(user).is_admin:
        return True
    if not is_coordinator(user):
        return False
    return (
        organisations_coordinated_by(user).filter(pk=request.organisation_id).exists()
        or Organisation.objects.filter(pk=request.organisation_id, safeguarding_lead=user).exists()
    )


def timeline_for(request: HelpRequest, user: Any) -> QuerySet[TimelineEntry]:
    entries = request.timeline.select_related("actor")
    if not sees_restricted_notes(user, request):
        entries = entries.filter(restricted=False)
    return entries
