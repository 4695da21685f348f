"""Every read of devices, borrowers, holds, bookings and loans.

Staff see the devices, borrowers and loans of the branches they coordinate
(a coordinator of the library service covers all its branches); the admin
sees all. Every lookup starts from a `*_visible_to` scope, so a guessed tag
or reference outside it finds nothing (a 404)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fingerpost.accounts.roles import Role, roles_of
from fingerpost.organisations.models import Organisation
from fingerpost.organisations.queries import organisations_where

from .models import (
    OPEN_HOLD_STATUSES,
    Booking,
    Borrower,
    Device,
    DeviceEvent,
    DeviceKind,
    DeviceStatus,
    Hold,
    HoldStatus,
    Loan,
    LoanRule,
    LoanStatus,
)

# What a row of the inventory shows.
INVENTORY_COLUMNS = (
    "asset_tag",
    "kind",
    "make",
    "model",
    "status",
    "condition",
    "branch__name",
    "sim_expires_on",
)


def branches_for(user: Any) -> QuerySet[Organisation]:
    """The organisations whose devices and borrowers this person looks after."""
    roles = roles_of(user)
    if roles.is_admin:
        return Organisation.objects.all()
    return organisations_where(user, Role.COORDINATOR)


def _scoped(queryset: QuerySet[Any], user: Any, field: str) -> QuerySet[Any]:
    roles = roles_of(user)
    if roles.is_admin:
        return queryset
    if not roles.holds(Role.COORDINATOR):
        return queryset.none()
    return queryset.filter(**{f"{field}__in": organisations_where(user, Role.COORDINATOR)})


def devices_visible_to(user: Any) -> QuerySet[Device]:
    return _scoped(Device.objects.all(), user, "branch")


def borrowers_visible_to(user: Any) -> QuerySet[Borrower]:
    return _scoped(Borrower.objects.filter(anonymised_at__isnull=True), user, "branch")


def loans_visible_to(user: Any) -> QuerySet[Loan]:
    return _scoped(Loan.objects.all(), user, "device__branch")


def holds_visible_to(user: Any) -> QuerySet[Hold]:
    return _scoped(Hold.objects.all(), user, "branch")


# Inventory ---------------------------------------------------------------------


def inventory(
    user: Any, *, status: str = "", kind: str = "", branch: int | None = None, search: str = ""
) -> QuerySet[Device]:
    devices = (
        devices_visible_to(user).select_related("branch").only(*INVENTORY_COLUMNS, "branch__id")
    )
    if status:
        devices = devices.filter(status=status)
    if kind:
        devices = devices.filter(kind=kind)
    if branch:
        devices = devices.filter(branch_id=branch)
    if search:
        devices = devices.filter(
            Q(asset_tag__icontains=search) | Q(serial_number__icontains=search)
        )
    return devices.order_by("asset_tag")


def device_for(user: Any, asset_tag: str) -> Device | None:
    return devices_visible_to(user).select_related("branch").filter(asset_tag=asset_tag).first()


def device_history(device: Device, *, limit: int = 50) -> list[DeviceEvent]:
    return list(device.history.select_related("actor")[:limit])


def device_loans(device: Device, *, limit: int = 20) -> list[Loan]:
    return list(device.loans.select_related("borrower").order_by("-issued_at", "-pk")[:limit])


def active_loan_of(device: Device) -> Loan | None:
    return (
        Loan.objects.select_related("borrower")
        .filter(device=device, status=LoanStatus.ACTIVE)
        .first()
    )


def ready_hold_of(device: Device) -> Hold | None:
    return (
        Hold.objects.select_related("borrower")
        .filter(device=device, status=HoldStatus.READY)
        .first()
    )


def upcoming_bookings(device: Device) -> list[Booking]:
    today = timezone.localdate()
    return list(
        device.bookings.filter(cancelled_at__isnull=True, ends_on__gte=today).select_related(
            "booked_by"
        )
    )


def booking_clash(device: Device, starts_on: date, ends_on: date) -> Booking | None:
    """A live booking of the device overlapping the days given (inclusive)."""
    return (
        Booking.objects.filter(
            device=device, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on
        )
        .order_by("starts_on")
        .first()
    )


def status_counts(user: Any) -> dict[str, int]:
    rows = devices_visible_to(user).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(DeviceStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class Availability:
    branch: str
    branch_id: int
    kind: str
    kind_label: str
    available: int
    total: int
    waiting: int


def availability(*, branches: QuerySet[Organisation] | None = None) -> list[Availability]:
    """Free devices and people waiting, per branch and type, in two queries.
    No personal data: residents see this too."""
    devices = Device.objects.exclude(status__in=[DeviceStatus.LOST, DeviceStatus.RETIRED])
    holds = Hold.objects.filter(status=HoldStatus.WAITING)
    if branches is not None:
        devices = devices.filter(branch__in=branches)
        holds = holds.filter(branch__in=branches)
    rows = (
        devices.values("branch_id", "branch__name", "kind")
        .annotate(
            total=Count("pk"),
            available=Count("pk", filter=Q(status=DeviceStatus.AVAILABLE)),
        )
        .order_by("branch__name", "kind")
    )
    waiting = {
        (row["branch_id"], row["kind"]): row["n"]
        for row in holds.values("branch_id", "kind").annotate(n=Count("pk"))
    }
    labels = dict(DeviceKind.choices)
    return [
        Availability(
            branch=row["branch__name"],
            branch_id=row["branch_id"],
            kind=row["kind"],
            kind_label=str(labels[row["kind"]]),
            available=row["available"],
            total=row["total"],
            waiting=waiting.get((row["branch_id"], row["kind"]), 0),
        )
        for row in rows
    ]


def lending_branches() -> QuerySet[Organisation]:
    """Organisations that have devices to lend."""
    return Organisation.objects.filter(pk__in=Device.objects.values("branch_id")).order_by("name")


# Borrowers -----------------------------------------------------------------------


def borrower_list(user: Any, *, search: str = "") -> QuerySet[Borrower]:
    borrowers = (
        borrowers_visible_to(user)
        .select_related("branch")
        .annotate(on_loan=Count("loans", filter=Q(loans__status=LoanStatus.ACTIVE)))
    )
    if search:
        borrowers = borrowers.filter(
            Q(name__icontains=search)
            | Q(reference__iexact=search)
            | Q(email__iexact=search)
            | Q(library_card__iexact=search)
            | Q(phone__icontains=search)
        )
    return borrowers.order_by("name", "pk")


def borrower_for(user: Any, reference: str) -> Borrower | None:
    return (
        borrowers_visible_to(user)
        .select_related("branch", "help_request")
        .filter(reference=reference)
        .first()
    )


def borrower_loans(borrower: Borrower) -> list[Loan]:
    return list(
        borrower.loans.select_related("device", "device__branch").order_by("-issued_at", "-pk")
    )


def borrower_holds(borrower: Borrower) -> list[Hold]:
    return list(borrower.holds.select_related("branch", "device").order_by("-created_at", "-pk"))


def borrower_for_help_request(help_request: Any) -> Borrower | None:
    return (
        Borrower.objects.filter(help_request=help_request, anonymised_at__isnull=True)
        .order_by("pk")
        .first()
    )


def borrower_by_token(token: str) -> Borrower | None:
    if not token or len(token) > 64:
        return None
    return Borrower.objects.filter(token=token, anonymised_at__isnull=True).first()


def active_loans_of_kind(borrower: Borrower, kind: str) -> int:
    return Loan.objects.filter(
        borrower=borrower, device__kind=kind, status=LoanStatus.ACTIVE
    ).count()


def borrowers_matching(*, email: str, phone: str) -> QuerySet[Borrower]:
    """Borrowers with this email address or phone number (subject access)."""
    scope = Q()
    if email:
        scope |= Q(email__iexact=email)
    if phone:
        scope |= Q(phone=phone)
    if not scope:
        return Borrower.objects.none()
    return Borrower.objects.filter(scope, anonymised_at__isnull=True).select_related("branch")


def borrowers_past_retention(cutoff: datetime) -> QuerySet[Borrower]:
    open_loans = Loan.objects.filter(status=LoanStatus.ACTIVE).values("borrower_id")
    open_holds = Hold.objects.filter(status__in=OPEN_HOLD_STATUSES).values("borrower_id")
    recent_loans = Loan.objects.filter(returned_at__gte=cutoff).values("borrower_id")
    recent_holds = Hold.objects.filter(Q(ended_at__gte=cutoff) | Q(created_at__gte=cutoff)).values(
        "borrower_id"
    )
    return (
        Borrower.objects.filter(anonymised_at__isnull=True, created_at__lt=cutoff)
        .exclude(pk__in=open_loans)
        .exclude(pk__in=open_holds)
        .exclude(pk__in=recent_loans)
        .exclude(pk__in=recent_holds)
    )


# Holds ------------------------------------------------------------------------------


def others_waiting(kind: str, branch_id: int, *, borrower: Borrower) -> bool:
    return (
        Hold.objects.filter(kind=kind, branch_id=branch_id, status=HoldStatus.WAITING)
        .exclude(borrower=borrower)
        .exists()
    )


def hold_queue(user: Any, *, kind: str = "", branch: int | None = None) -> QuerySet[Hold]:
    """Open holds in the order they are served: ready ones first, then the queue."""
    holds = (
        holds_visible_to(user)
        .filter(status__in=OPEN_HOLD_STATUSES)
        .select_related("borrower", "branch", "device")
    )
    if kind:
        holds = holds.filter(kind=kind)
    if branch:
        holds = holds.filter(branch_id=branch)
    return holds.order_by("branch__name", "kind", "-status", "created_at", "pk")


def queue_position(hold: Hold) -> int:
    """1 for the next person to be offered a device."""
    if hold.status != HoldStatus.WAITING:
        return 0
    ahead = Hold.objects.filter(
        kind=hold.kind, branch_id=hold.branch_id, status=HoldStatus.WAITING
    ).filter(Q(created_at__lt=hold.created_at) | Q(created_at=hold.created_at, pk__lt=hold.pk))
    return ahead.count() + 1


def hold_for(user: Any, pk: int) -> Hold | None:
    return (
        holds_visible_to(user).select_related("borrower", "branch", "device").filter(pk=pk).first()
    )


# Loans -----------------------------------------------------------------------------


def loan_list(
    user: Any, *, overdue: bool = False, status: str = LoanStatus.ACTIVE
) -> QuerySet[Loan]:
    loans = loans_visible_to(user).select_related("device", "device__branch", "borrower")
    if status:
        loans = loans.filter(status=status)
    if overdue:
        loans = loans.filter(status=LoanStatus.ACTIVE, due_on__lt=timezone.localdate())
    return loans.order_by("due_on", "pk")


def loan_for(user: Any, reference: str) -> Loan | None:
    return (
        loans_visible_to(user)
        .select_related("device", "device__branch", "borrower", "issued_by", "returned_by")
        .filter(reference=reference)
        .first()
    )


def loans_due_between(first: date, last: date) -> QuerySet[Loan]:
    return Loan.objects.filter(
        status=LoanStatus.ACTIVE, due_on__gte=first, due_on__lte=last
    ).select_related("borrower", "device")


def loans_overdue_by(today: date, days: int) -> QuerySet[Loan]:
    from datetime import timedelta

    return Loan.objects.filter(
        status=LoanStatus.ACTIVE, due_on__lte=today - timedelta(days=days)
    ).select_related("borrower", "device")


def loans_for_help_request(help_request: Any) -> list[Loan]:
    """What a champion or coordinator working on a request sees: the device
    and dates, not the borrower's other details."""
    return list(
        Loan.objects.filter(borrower__help_request=help_request)
        .select_related("device", "device__branch")
        .order_by("-issued_at")
    )


def holds_for_help_request(help_request: Any) -> list[Hold]:
    return list(
        Hold.objects.filter(borrower__help_request=help_request, status__in=OPEN_HOLD_STATUSES)
        .select_related("branch")
        .order_by("created_at")
    )


def rules_by_kind() -> list[LoanRule]:
    """Every type's rule, the defaults where none is saved."""
    saved = {rule.kind: rule for rule in LoanRule.objects.all()}
    return [saved.get(kind) or LoanRule(kind=kind) for kind in DeviceKind.values]


# Reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    statuses: dict[str, int]
    overdue: int
    per_month: list[tuple[str, int]]
    per_branch: list[tuple[str, int]]
    average_days: float | None
    borrowers: int
    went_online: int


def report(user: Any) -> Report:
    """The lending figures for the branches this person looks after."""
    loans = loans_visible_to(user)
    per_month = [
        (row["month"].strftime("%Y-%m"), row["n"])
        for row in loans.annotate(month=TruncMonth("issued_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
        if row["month"]
    ]
    per_branch = [
        (row["device__branch__name"], row["n"])
        for row in loans.values("device__branch__name")
        .annotate(n=Count("pk"))
        .order_by("device__branch__name")
    ]
    length = ExpressionWrapper(F("returned_at") - F("issued_at"), output_field=DurationField())
    average = loans.filter(status=LoanStatus.RETURNED).aggregate(avg=Avg(length))["avg"]
    borrowers = Borrower.objects.filter(pk__in=loans.values("borrower_id"))
    # "Went on to do something online": the help request they came from
    # closed as helped (or helped with e-books).
    went_online = borrowers.filter(help_request__outcome__in=["helped", "ebooks"]).count()
    return Report(
        statuses=status_counts(user),
        overdue=loans.filter(status=LoanStatus.ACTIVE, due_on__lt=timezone.localdate()).count(),
        per_month=per_month,
        per_branch=per_branch,
        average_days=round(average.total_seconds() / 86400, 1) if average else None,
        borrowers=borrowers.count(),
        went_online=went_online,
    )
