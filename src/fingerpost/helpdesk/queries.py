"""Who can see which requests. Every lookup of a request starts here, so a
wrong role or a guessed reference finds nothing (404), never data."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any, cast

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role, roles_of
from fingerpost.accounts.rules import is_coordinator
from fingerpost.core.errors import Invalid
from fingerpost.core.text import phone_number
from fingerpost.events import queries as events_queries
from fingerpost.organisations.models import Organisation, OrganisationKind
from fingerpost.organisations.queries import area_for, organisations_where, people_with_role

from .models import (
    NEED_BIT,
    HelpRequest,
    Need,
    Priority,
    SessionBooking,
    Status,
    TimelineEntry,
    TimelineKind,
)

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


def requests_visible_to(user: Any, *, offers: bool = False) -> QuerySet[HelpRequest]:
    """Requests whose residents' details this person may see. A champion
    sees a request once they have accepted it; with `offers`, also one
    offered to them and waiting for their answer (for the page where they
    answer, which shows no contact details)."""
    roles = roles_of(user)
    if roles.is_admin:
        return HelpRequest.objects.all()
    # The union of what each role opens: a coordinator who is also a champion
    # sees their organisations' requests and the ones assigned to them.
    scopes: list[Q] = []
    if roles.holds(Role.COORDINATOR):
        # The organisations' ids first, in a small query of their own: a plain
        # list lets PostgreSQL read the queue in its index order
        # (helpreq_queue_order) and stop at the page, where a subquery made it
        # sort every visible request first.
        coordinated = list(
            organisations_coordinated_by(user).order_by().values_list("pk", flat=True)
        )
        if coordinated:
            scopes.append(Q(organisation_id__in=coordinated))
        # The safeguarding lead alerted about a concern can open the request.
        # Asked apart (a tiny indexed query) so the usual case, someone who
        # leads nowhere, keeps a plain filter the queue's index can serve.
        led = list(Organisation.objects.filter(safeguarding_lead=user).values_list("pk", flat=True))
        if led:
            scopes.append(Q(organisation_id__in=led, safeguarding_concern=True))
    if roles.holds(Role.CHAMPION):
        scopes.append(
            Q(assigned_to=user)
            if offers
            else Q(assigned_to=user, assignment_accepted_at__isnull=False)
        )
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
    return (
        HelpRequest.objects.filter(referred_by=user)
        .only("reference", "status", "outcome", "created_at", "closed_at")
        .order_by("-created_at", "-pk")
    )


def request_status(user: Any, reference: str) -> HelpRequest | None:
    """The status of a request this person may see, or of a referral they made."""
    for scope in (requests_visible_to(user), referrals_made_by(user)):
        found = scope.filter(reference=reference).only("reference", "status", "outcome").first()
        if found is not None:
            return found
    return None


def records_visible_to(user: Any, *, offers: bool = False) -> QuerySet[HelpRequest]:
    """Requests whose resident's details this person may see and that still
    have them (not anonymised), with what a request's page and the API show."""
    return (
        requests_visible_to(user, offers=offers)
        .filter(anonymised_at__isnull=True)
        .select_related(
            "organisation", "assigned_to", "referred_by", "recorded_by", "event_booking__event"
        )
        .prefetch_related("needs")
    )


def request_for_resident(token: str) -> QuerySet[HelpRequest]:
    """The request behind a resident's private status link (not once anonymised)."""
    return HelpRequest.objects.select_related(
        "organisation", "assigned_to", "event_booking__event"
    ).filter(token=token, anonymised_at__isnull=True)


def queue(
    user: Any,
    *,
    status: str = "",
    need: str = "",
    area: str = "",
    priority: int | None = None,
    help_mode: str = "",
    older_than_days: int | None = None,
    contact: str = "",
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
        # The bits kept on the request, read from the open requests' index.
        bit = NEED_BIT.get(need, 0)
        requests = requests.alias(has_need=F("need_bits").bitand(bit)).filter(has_need__gt=0)
    if area:
        # A town, a district or a postcode: whatever the partnership's list groups it under.
        town = area_for(area)
        requests = requests.filter(
            Q(town=town) | Q(area__iexact=area) if town is not None else Q(area__iexact=area)
        )
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
    if contact in (CONTACT_NONE, CONTACT_OVERDUE):
        requests = requests.filter(first_contact_at__isnull=True)
    if contact == CONTACT_OVERDUE:
        requests = requests.filter(created_at__lt=first_contact_cutoff(now))
    # New first, then the most urgent, then the oldest.
    return requests.prefetch_related("needs").order_by(
        "queue_rank", "-priority", "created_at", "pk"
    )


class QueuePaginator(Paginator):
    """Pages of the queue that read their rows' ids first (from the open
    requests' queue index alone), then only those rows: a late page skips
    thousands of index entries, not thousands of rows and their joins."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        requests = cast(QuerySet[HelpRequest], self.object_list)
        ids = list(requests.values_list("pk", flat=True)[bottom:top])
        found = {r.pk: r for r in requests.order_by().filter(pk__in=ids)}
        return Page([found[pk] for pk in ids if pk in found], number, self)


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One row of the queue as shown: every cell worked out already, so the
    table's template only prints attributes (it was most of the page's CPU)."""

    reference: str
    url: str
    safeguarding: bool
    status: str
    status_label: str
    status_tag: str  # the tag's colour class
    priority_label: str
    needs: str
    area: str
    waiting_since: str
    no_contact_yet: bool  # not contacted within the first-contact hours
    assigned_to: str


# A reference is letters and digits, so one reversed URL serves every row.
_REFERENCE_MARK = "REFERENCE0"


def queue_rows(requests: Iterable[HelpRequest], *, now: datetime | None = None) -> list[QueueRow]:
    """The queue's rows (from `queue()`, needs prefetched), in the active
    language, each label looked up once per page."""
    statuses = {value: str(label) for value, label in Status.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    needs = {value: str(label) for value, label in Need.choices}
    detail = reverse("helpdesk:detail", kwargs={"reference": _REFERENCE_MARK})
    cutoff = first_contact_cutoff(now)
    # As the date filter's "j M Y", without its per-call parsing (0.1 ms a row).
    months = {month: str(name).title() for month, name in MONTHS_3.items()}
    zone = timezone.get_current_timezone()
    rows = []
    for request in requests:
        day = request.created_at.astimezone(zone)
        assignee = request.assigned_to
        rows.append(
            QueueRow(
                reference=request.reference,
                url=detail.replace(_REFERENCE_MARK, request.reference),
                safeguarding=request.safeguarding_concern,
                status=request.status,
                status_label=statuses.get(request.status, request.status),
                status_tag="govuk-tag--blue" if request.status == Status.NEW else "govuk-tag--grey",
                priority_label=priorities.get(request.priority, str(request.priority)),
                needs="; ".join(needs.get(n.need, n.need) for n in request.needs.all()),
                area=request.area,
                waiting_since=f"{day.day} {months[day.month]} {day.year}",
                no_contact_yet=request.first_contact_at is None and request.created_at < cutoff,
                assigned_to=assignee.full_name if assignee is not None else "",
            )
        )
    return rows


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


def default_organisation() -> Organisation:
    """Who handles requests nobody has routed yet: the configured organisation,
    or the library service."""
    slug = settings.FINGERPOST_HELPDESK_ORGANISATION
    organisations = Organisation.objects.all()
    if slug:
        return organisations.get(slug=slug)
    handler = (
        organisations.filter(kind=OrganisationKind.LIBRARY, parent__isnull=True).first()
        or organisations.order_by("pk").first()
    )
    if handler is None:
        raise Invalid("No organisation is set up to handle requests for help yet")
    return handler


def contact_attempts(request: HelpRequest) -> int:
    return request.timeline.filter(kind=TimelineKind.CONTACT).count()


def requests_about_resident(*, email: str = "", phone: str = "") -> list[HelpRequest]:
    email = email.strip().lower()
    phone = phone_number(phone)
    if not email and not phone:
        raise Invalid("Enter the resident's email address or phone number")
    query = Q()
    if email:
        query |= Q(email=email)
    if phone:
        query |= Q(phone=phone)
    return list(
        HelpRequest.objects.filter(query)
        .select_related("assigned_to")
        .prefetch_related("needs", "timeline")
        .order_by("created_at")
    )


def coordinator_emails(organisation_id: int) -> list[str]:
    """The coordinators who see an organisation's requests: its own and its parent's."""
    return list(
        people_with_role(Role.COORDINATOR, organisation_id=organisation_id).values_list(
            "email", flat=True
        )
    )


def requests_past_retention(*, now: datetime | None = None) -> QuerySet[HelpRequest]:
    """Closed requests whose personal data is due to go."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_HELPDESK_RETENTION_DAYS)
    return HelpRequest.objects.filter(
        status=Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    )


CONTACT_NONE = "none"
CONTACT_OVERDUE = "overdue"


def first_contact_cutoff(now: datetime | None = None) -> datetime:
    """Requests made before this and not yet contacted are overdue."""
    hours = settings.FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS
    return (now or timezone.now()) - timedelta(hours=hours)


def queue_counts(user: Any, *, now: datetime | None = None) -> dict[str, int]:
    """For the coordinator's dashboard, in one query: new requests, open ones
    nobody has contacted yet, and those of them that are overdue."""
    open_requests = requests_visible_to(user).exclude(status=Status.CLOSED)
    not_contacted = Q(first_contact_at__isnull=True)
    return open_requests.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        waiting=Count("pk", filter=not_contacted),
        overdue=Count("pk", filter=not_contacted & Q(created_at__lt=first_contact_cutoff(now))),
    )


def waiting_for_first_contact(*, now: datetime | None = None) -> QuerySet[HelpRequest, Any]:
    """(organisation id, reference) of open requests nobody has contacted in time."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS)
    return (
        HelpRequest.objects.filter(first_contact_at__isnull=True, created_at__lt=cutoff)
        .exclude(status=Status.CLOSED)
        .values_list("organisation_id", "reference")
    )


def request_with_reference(reference: str) -> HelpRequest | None:
    """The request with this reference, unless its personal data is gone."""
    return HelpRequest.objects.filter(reference=reference, anonymised_at__isnull=True).first()


def session_booking_ids(request: HelpRequest, *, event_id: int | None = None) -> list[int]:
    links = SessionBooking.objects.filter(request=request)
    if event_id is not None:
        links = links.filter(booking__event_id=event_id)
    return list(links.values_list("booking_id", flat=True))


def session_bookings_of(request: HelpRequest, *, event_id: int | None = None) -> list[Any]:
    """The places the help desk booked for this request (at one event, if given)."""
    return list(events_queries.bookings_with_ids(session_booking_ids(request, event_id=event_id)))


def request_for_booking(booking: Any) -> HelpRequest | None:
    """The request the help desk made this booking for, if it did."""
    link = SessionBooking.objects.select_related("request").filter(booking=booking).first()
    return link.request if link else None


def requests_with_references(references: list[str]) -> list[HelpRequest]:
    return list(
        HelpRequest.objects.filter(reference__in=references, anonymised_at__isnull=True)
        .select_related("assigned_to")
        .prefetch_related("needs", "timeline")
        .order_by("created_at")
    )


def next_step(request: HelpRequest, *, contact_attempts: int, can_triage: bool) -> tuple[str, str]:
    """(task, what to do) for the person looking at the request: the one thing
    that moves it on. The task names a section of the request page."""
    if request.status == Status.CLOSED:
        return ("note", "This request is closed. You can still add a note.")
    if can_triage and request.status == Status.NEW:
        return ("triage", "Triage it: confirm what the resident needs and set the priority.")
    if request.first_contact_at is None:
        tried = f" ({contact_attempts} tried so far)" if contact_attempts else ""
        overdue = request.created_at < first_contact_cutoff()
        return (
            "contact",
            ("First contact is overdue. " if overdue else "")
            + f"Contact the resident and record how it went{tried}.",
        )
    if can_triage and request.status == Status.TRIAGED and request.assigned_to_id is None:
        return (
            "assign",
            "Find them help: assign a digital champion, book a place at a session, "
            "or route them elsewhere.",
        )
    return ("close", "When the resident has been helped, close the request with the outcome.")
