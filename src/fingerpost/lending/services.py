"""Every change to devices, borrowers, holds, bookings and loans.

Each function is keyword-only, takes `by=` (the person acting, or None for
timed jobs), runs in one transaction and refuses with `core.errors`. Locks
are always taken in the same order, borrower, then device, then hold, so two
staff acting at once queue behind each other instead of deadlocking; the
device's row lock is what makes a device go to one loan, one ready hold and
one booking per date at a time (the database constraints are the backstop).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from fingerpost.accounts.models import User
from fingerpost.core import audit
from fingerpost.core.errors import Conflict, Invalid, NotFound
from fingerpost.core.models import AuditAction
from fingerpost.core.text import email_address, phone_number, visible_lines, visible_text
from fingerpost.organisations.models import Organisation

from . import queries
from .models import (
    OPEN_HOLD_STATUSES,
    AgreementKind,
    Booking,
    Borrower,
    Condition,
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
from .notifications import notify

SUBJECT = "borrower"
ANONYMISED_NAME = "(removed)"


def _today() -> date:
    return timezone.localdate()


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def rule_for(kind: str) -> LoanRule:
    """The rule for a type of device; the defaults until an admin sets one."""
    if kind not in DeviceKind.values:
        raise Invalid("Choose a type of device", field="kind")
    rule = LoanRule.objects.filter(kind=kind).first()
    return rule or LoanRule(kind=kind)


def _history(device: Device, *, by: User | None, what: str, detail: str = "") -> None:
    DeviceEvent.objects.create(device=device, actor=by, what=what, detail=detail[:300])


def _audit(
    borrower: Borrower, *, by: User | None, detail: str, action: str = AuditAction.CHANGE
) -> None:
    audit.record(
        actor=by, action=action, subject_type=SUBJECT, reference=borrower.reference, detail=detail
    )


def _lock_device(device_id: int) -> Device:
    device = Device.objects.select_for_update().filter(pk=device_id).first()
    if device is None:
        raise NotFound("There is no such device")
    return device


def _lock_borrower(borrower_id: int) -> Borrower:
    borrower = Borrower.objects.select_for_update().filter(pk=borrower_id).first()
    if borrower is None or borrower.anonymised_at:
        raise NotFound("There is no such borrower")
    return borrower


def _about(borrower: Borrower) -> tuple[str, str]:
    return (SUBJECT, borrower.reference)


# Inventory ------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceDetails:
    asset_tag: str
    kind: str
    branch: Organisation
    serial_number: str = ""
    make: str = ""
    model: str = ""
    condition: str = Condition.GOOD
    notes: str = ""
    sim_allowance_gb: int | None = None
    sim_expires_on: date | None = None


def clean_device_details(details: DeviceDetails) -> dict[str, Any]:
    """The one rule for a device's details, for the form, the import and the API."""
    tag = visible_text(details.asset_tag).upper()
    if not tag:
        raise Invalid("Enter the asset tag", field="asset_tag")
    if len(tag) > 40:
        raise Invalid("The asset tag must be 40 characters or fewer", field="asset_tag")
    if details.kind not in DeviceKind.values:
        raise Invalid("Choose a type of device", field="kind")
    if details.condition not in Condition.values:
        raise Invalid("Choose the condition", field="condition")
    is_sim = details.kind == DeviceKind.DATA_SIM
    if not is_sim and (details.sim_allowance_gb is not None or details.sim_expires_on):
        raise Invalid(
            "Only a data SIM has an allowance and an expiry date", field="sim_allowance_gb"
        )
    if details.sim_allowance_gb is not None and not 0 < details.sim_allowance_gb <= 10_000:
        raise Invalid("Enter the allowance in GB, from 1 to 10000", field="sim_allowance_gb")
    fields = {
        "asset_tag": tag,
        "kind": details.kind,
        "branch": details.branch,
        "serial_number": visible_text(details.serial_number)[:80],
        "make": visible_text(details.make)[:80],
        "model": visible_text(details.model)[:80],
        "condition": details.condition,
        "notes": visible_lines(details.notes)[:2000],
        "sim_allowance_gb": details.sim_allowance_gb,
        "sim_expires_on": details.sim_expires_on,
    }
    return fields


def add_device(*, details: DeviceDetails, by: User | None) -> Device:
    fields = clean_device_details(details)
    with transaction.atomic():
        if Device.objects.filter(asset_tag=fields["asset_tag"]).exists():
            raise Invalid("A device with this asset tag exists already", field="asset_tag")
        try:
            with transaction.atomic():
                device = Device.objects.create(**fields)
        except IntegrityError as error:
            raise Invalid(
                "A device with this asset tag exists already", field="asset_tag"
            ) from error
        _history(device, by=by, what="added", detail=f"at {device.branch.name}")
        _offer_to_next(device, by=by)
    return device


def update_device(*, device: Device, details: DeviceDetails, by: User | None) -> Device:
    fields = clean_device_details(details)
    with transaction.atomic():
        device = _lock_device(device.pk)
        if Device.objects.filter(asset_tag=fields["asset_tag"]).exclude(pk=device.pk).exists():
            raise Invalid("A device with this asset tag exists already", field="asset_tag")
        moved = fields["branch"].pk != device.branch_id
        if moved and device.status in (DeviceStatus.ON_LOAN, DeviceStatus.HELD):
            raise Conflict("A device on loan or held for someone cannot change branch")
        changed = [name for name, value in fields.items() if getattr(device, name) != value]
        for name, value in fields.items():
            setattr(device, name, value)
        device.save()
        _history(device, by=by, what="details changed", detail=", ".join(changed))
        if moved and device.status == DeviceStatus.AVAILABLE:
            _offer_to_next(device, by=by)
    return device


OUT_OF_SERVICE: dict[str, str] = {
    DeviceStatus.IN_REPAIR: "sent for repair",
    DeviceStatus.RETIRED: "retired",
    DeviceStatus.LOST: "recorded as lost",
}


def take_out_of_service(*, device: Device, status: str, by: User | None, notes: str = "") -> Device:
    """In repair, retired or lost, from any state but on loan (return it first)."""
    if status not in OUT_OF_SERVICE:
        raise Invalid("Choose why the device is out of service", field="status")
    with transaction.atomic():
        device = _lock_device(device.pk)
        if device.status == DeviceStatus.ON_LOAN:
            raise Conflict("This device is on loan: record its return or its loss first")
        if device.status == status:
            raise Conflict(f"This device is {device.get_status_display().lower()} already")
        if device.status == DeviceStatus.HELD:
            _release_ready_hold(device, by=by, reason="the device went out of service")
        device.status = status
        device.save(update_fields=["status"])
        _history(device, by=by, what=OUT_OF_SERVICE[status], detail=visible_lines(notes))
    return device


def back_in_service(*, device: Device, by: User | None) -> Device:
    """Back from repair (or found): it is wiped and checked before anyone has it."""
    with transaction.atomic():
        device = _lock_device(device.pk)
        if device.status not in (DeviceStatus.IN_REPAIR, DeviceStatus.LOST):
            raise Conflict("Only a device in repair or lost can come back into service")
        device.status = DeviceStatus.AWAITING_CHECK
        device.save(update_fields=["status"])
        _history(device, by=by, what="back in service", detail="awaiting wipe and check")
    return device


def confirm_wipe_check(
    *, device: Device, by: User | None, wiped: bool, checked: bool, condition: str, notes: str = ""
) -> Device:
    """The step between borrowers that nothing skips: staff confirm the
    device was wiped of the last borrower's data and checked, then it goes to
    the next person waiting (or back on the shelf)."""
    if not wiped:
        raise Invalid("Confirm the device was wiped of the last borrower's data", field="wiped")
    if not checked:
        raise Invalid(
            "Confirm the device was checked and works, with all its parts", field="checked"
        )
    if condition not in Condition.values:
        raise Invalid("Choose the condition", field="condition")
    with transaction.atomic():
        device = _lock_device(device.pk)
        if device.status != DeviceStatus.AWAITING_CHECK:
            raise Conflict("This device is not waiting for a wipe and check")
        device.condition = condition
        if condition == Condition.DAMAGED:
            device.status = DeviceStatus.IN_REPAIR
            device.save(update_fields=["status", "condition"])
            _history(device, by=by, what="wiped and checked", detail="damaged: sent for repair")
            return device
        device.status = DeviceStatus.AVAILABLE
        device.save(update_fields=["status", "condition"])
        _history(device, by=by, what="wiped and checked", detail=visible_lines(notes))
        _offer_to_next(device, by=by)
    return device


# Borrowers -------------------------------------------------------------------


@dataclass(frozen=True)
class BorrowerDetails:
    name: str
    branch: Organisation
    email: str = ""
    phone: str = ""
    library_card: str = ""
    address: str = ""
    referral: str = ""


def _clean_borrower(details: BorrowerDetails) -> dict[str, Any]:
    name = visible_text(details.name)
    if not name:
        raise Invalid("Enter the borrower's name", field="name")
    email = email_address(details.email) if details.email.strip() else ""
    phone = phone_number(details.phone) if details.phone.strip() else ""
    if details.phone.strip() and not phone:
        raise Invalid("Enter a phone number, like 01305 123456 or 07700 900123", field="phone")
    return {
        "name": name[:150],
        "branch": details.branch,
        "email": email,
        "phone": phone[:30],
        "library_card": visible_text(details.library_card)[:30],
        "address": visible_lines(details.address)[:1000],
        "referral": visible_text(details.referral)[:200],
    }


def register_borrower(
    *, details: BorrowerDetails, by: User | None, help_request: Any = None
) -> Borrower:
    fields = _clean_borrower(details)
    with transaction.atomic():
        borrower = Borrower.objects.create(help_request=help_request, created_by=by, **fields)
        _audit(borrower, by=by, detail="registered", action=AuditAction.CREATE)
    return borrower


def update_borrower(*, borrower: Borrower, details: BorrowerDetails, by: User | None) -> Borrower:
    fields = _clean_borrower(details)
    with transaction.atomic():
        borrower = _lock_borrower(borrower.pk)
        changed = [name for name, value in fields.items() if getattr(borrower, name) != value]
        for name, value in fields.items():
            setattr(borrower, name, value)
        borrower.save()
        _audit(borrower, by=by, detail="details changed: " + ", ".join(changed))
    return borrower


def record_viewed(*, borrower: Borrower, by: User | None, detail: str = "page") -> None:
    _audit(borrower, by=by, detail=detail, action=AuditAction.VIEW)


def check_eligible(*, borrower: Borrower, kind: str) -> LoanRule:
    """The loan rule's limits for this borrower, or a refusal saying which."""
    rule = rule_for(kind)
    label = DeviceKind(kind).label.lower()
    if rule.referral_required and not borrower.is_referred:
        raise Invalid(
            f"A {label} is lent only with a referral: "
            "link the help request or say who referred them"
        )
    on_loan = queries.active_loans_of_kind(borrower, kind)
    if on_loan >= rule.per_borrower:
        raise Conflict(
            f"This borrower has {on_loan} {label} loan{'s' if on_loan != 1 else ''} already "
            f"(the limit is {rule.per_borrower})"
        )
    return rule


# Holds ----------------------------------------------------------------------


def place_hold(*, borrower: Borrower, kind: str, branch: Organisation, by: User | None) -> Hold:
    """Join the queue for a type of device at a branch; a device free now is
    held for them at once."""
    with transaction.atomic():
        borrower = _lock_borrower(borrower.pk)
        check_eligible(borrower=borrower, kind=kind)
        if Hold.objects.filter(
            borrower=borrower, kind=kind, branch=branch, status__in=OPEN_HOLD_STATUSES
        ).exists():
            raise Conflict("This borrower is already waiting for one of these at this branch")
        try:
            with transaction.atomic():
                hold = Hold.objects.create(
                    borrower=borrower, kind=kind, branch=branch, created_by=by
                )
        except IntegrityError as error:
            raise Conflict(
                "This borrower is already waiting for one of these at this branch"
            ) from error
        _audit(borrower, by=by, detail=f"hold placed: {kind} at {branch.name}")
        # Someone ahead may be waiting only if no device is free, so a free
        # device (skipping any another member of staff holds locked) is theirs.
        free = (
            Device.objects.select_for_update(skip_locked=True)
            .filter(kind=kind, branch=branch, status=DeviceStatus.AVAILABLE)
            .order_by("asset_tag")
            .first()
        )
        if free is not None:
            _offer_to_next(free, by=by)
            hold.refresh_from_db()
    return hold


def hold_from_referral(
    *, help_request: Any, kind: str, branch: Organisation, by: User | None
) -> Hold:
    """A help-desk referral becomes a hold in one step: the resident becomes
    a borrower (once per request) and joins the queue."""
    with transaction.atomic():
        borrower = queries.borrower_for_help_request(help_request)
        if borrower is None:
            if not help_request.name.strip():
                raise Invalid("Add the resident's name to the help request first")
            borrower = register_borrower(
                details=BorrowerDetails(
                    name=help_request.name,
                    branch=branch,
                    email=help_request.email,
                    phone=help_request.phone,
                ),
                by=by,
                help_request=help_request,
            )
        return place_hold(borrower=borrower, kind=kind, branch=branch, by=by)


def cancel_hold(*, hold: Hold, by: User | None) -> Hold:
    with transaction.atomic():
        if hold.device_id:
            _lock_device(hold.device_id)
        hold = Hold.objects.select_for_update().get(pk=hold.pk)
        if hold.status not in OPEN_HOLD_STATUSES:
            raise Conflict("This hold has ended already")
        device_id = hold.device_id if hold.status == HoldStatus.READY else None
        hold.status = HoldStatus.CANCELLED
        hold.ended_at = timezone.now()
        hold.save(update_fields=["status", "ended_at"])
        _audit(hold.borrower, by=by, detail=f"hold {hold.pk} cancelled")
        if device_id:
            device = Device.objects.get(pk=device_id)
            _history(device, by=by, what="hold cancelled")
            _free(device, by=by)
    return hold


def _free(device: Device, *, by: User | None, now: datetime | None = None) -> None:
    """A locked device nobody holds any more: to the next in the queue, or the shelf."""
    device.status = DeviceStatus.AVAILABLE
    device.save(update_fields=["status"])
    _offer_to_next(device, by=by, now=now)


def _release_ready_hold(device: Device, *, by: User | None, reason: str) -> None:
    for hold in Hold.objects.select_for_update().filter(device=device, status=HoldStatus.READY):
        hold.status = HoldStatus.WAITING
        hold.device = None
        hold.ready_at = hold.expires_at = None
        hold.save(update_fields=["status", "device", "ready_at", "expires_at"])
        _audit(hold.borrower, by=by, detail=f"hold {hold.pk} back in the queue: {reason}")


def _offer_to_next(device: Device, *, by: User | None, now: datetime | None = None) -> Hold | None:
    """Hold a free (and locked) device for the first person waiting for its
    type at its branch, and tell them."""
    if device.status != DeviceStatus.AVAILABLE:
        return None
    # SKIP LOCKED: another device freed at the same moment takes the next person.
    hold = (
        # Only the hold row: locking its joined borrower or branch would make
        # other transactions skip every hold at the branch.
        Hold.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(kind=device.kind, branch=device.branch_id, status=HoldStatus.WAITING)
        .select_related("borrower", "branch")
        .order_by("created_at", "pk")
        .first()
    )
    if hold is None:
        return None
    rule = rule_for(device.kind)
    now = now or timezone.now()
    hold.status = HoldStatus.READY
    hold.device = device
    hold.ready_at = now
    hold.expires_at = now + timedelta(days=rule.hold_days)
    hold.save(update_fields=["status", "device", "ready_at", "expires_at"])
    device.status = DeviceStatus.HELD
    device.save(update_fields=["status"])
    _history(device, by=by, what="held", detail=f"for borrower {hold.borrower.reference}")
    _audit(
        hold.borrower,
        by=by,
        detail=f"device {device.asset_tag} held until {hold.expires_at:%Y-%m-%d}",
    )
    notify(
        hold.borrower,
        "hold_ready",
        once_key=f"lending:hold:{hold.pk}:ready:{device.pk}",
        about=_about(hold.borrower),
        kind=device.get_kind_display().lower(),
        branch=hold.branch.name,
        until=_day(timezone.localtime(hold.expires_at).date()),
    )
    return hold


def expire_holds(*, now: datetime | None = None) -> int:
    """Timed job: a device not collected in the hold period goes to the next person."""
    now = now or timezone.now()
    due = list(
        Hold.objects.filter(status=HoldStatus.READY, expires_at__lte=now).values_list(
            "pk", "device_id"
        )
    )
    expired = 0
    for hold_id, device_id in due:
        with transaction.atomic():
            device = _lock_device(device_id)
            hold = (
                Hold.objects.select_for_update(of=("self",))
                .select_related("borrower", "branch")
                .filter(pk=hold_id, status=HoldStatus.READY, expires_at__lte=now)
                .first()
            )
            if hold is None:
                continue
            hold.status = HoldStatus.EXPIRED
            hold.ended_at = now
            hold.save(update_fields=["status", "ended_at"])
            _audit(hold.borrower, by=None, detail=f"hold {hold.pk} expired")
            notify(
                hold.borrower,
                "hold_expired",
                once_key=f"lending:hold:{hold.pk}:expired",
                about=_about(hold.borrower),
                kind=device.get_kind_display().lower(),
                branch=hold.branch.name,
            )
            _history(
                device, by=None, what="hold expired", detail=f"borrower {hold.borrower.reference}"
            )
            _free(device, by=None, now=now)
            expired += 1
    return expired


# Bookings -------------------------------------------------------------------


def book_device(
    *, device: Device, starts_on: date, ends_on: date, purpose: str, by: User | None
) -> Booking:
    """Set a device aside for dates ahead, clashing with no loan or booking."""
    purpose = visible_text(purpose)[:200]
    if not purpose:
        raise Invalid("Say what the device is booked for", field="purpose")
    if starts_on < _today():
        raise Invalid("The booking must start today or later", field="starts_on")
    if ends_on < starts_on:
        raise Invalid("The booking must end on or after the day it starts", field="ends_on")
    if (ends_on - starts_on).days > 366:
        raise Invalid("A booking can be a year long at most", field="ends_on")
    with transaction.atomic():
        device = _lock_device(device.pk)
        if device.status in (DeviceStatus.LOST, DeviceStatus.RETIRED):
            raise Conflict(f"This device is {device.get_status_display().lower()}")
        clash = queries.booking_clash(device, starts_on, ends_on)
        if clash is not None:
            raise Conflict(
                f"This device is booked from {_day(clash.starts_on)} to {_day(clash.ends_on)} "
                f"for {clash.purpose}"
            )
        loan = Loan.objects.filter(device=device, status=LoanStatus.ACTIVE).first()
        if loan is not None and loan.due_on >= starts_on:
            raise Conflict(f"This device is on loan until {_day(loan.due_on)}")
        booking = Booking.objects.create(
            device=device, starts_on=starts_on, ends_on=ends_on, purpose=purpose, booked_by=by
        )
        _history(device, by=by, what="booked", detail=f"{starts_on} to {ends_on}: {purpose}")
    return booking


def cancel_booking(*, booking: Booking, by: User | None) -> Booking:
    with transaction.atomic():
        device = _lock_device(booking.device_id)
        booking = Booking.objects.get(pk=booking.pk)
        if booking.cancelled_at:
            raise Conflict("This booking was cancelled already")
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at"])
        _history(
            device,
            by=by,
            what="booking cancelled",
            detail=f"{booking.starts_on}: {booking.purpose}",
        )
    return booking


# Loans ----------------------------------------------------------------------


def issue_loan(
    *,
    device: Device,
    borrower: Borrower,
    by: User | None,
    agreement: str,
    witnessed_by: str = "",
    condition: str = "",
) -> Loan:
    """Lend a device: the borrower accepted the loan agreement on screen, or
    signed it on paper with a named witness."""
    if agreement not in AgreementKind.values:
        raise Invalid("Say how the borrower accepted the loan agreement", field="agreement")
    witnessed_by = visible_text(witnessed_by)[:150]
    if agreement == AgreementKind.PAPER and not witnessed_by:
        raise Invalid("Enter who witnessed the signature", field="witnessed_by")
    with transaction.atomic():
        borrower = _lock_borrower(borrower.pk)
        device = _lock_device(device.pk)
        condition = condition or device.condition
        if condition not in Condition.values:
            raise Invalid("Choose the condition", field="condition")
        own_hold = None
        if device.status == DeviceStatus.HELD:
            own_hold = Hold.objects.filter(
                device=device, status=HoldStatus.READY, borrower=borrower
            ).first()
            if own_hold is None:
                raise Conflict("This device is held for someone else")
        elif device.status == DeviceStatus.AWAITING_CHECK:
            raise Conflict("This device must be wiped and checked before it is lent again")
        elif device.status != DeviceStatus.AVAILABLE:
            raise Conflict(f"This device is {device.get_status_display().lower()}")
        elif queries.others_waiting(device.kind, device.branch_id, borrower=borrower):
            raise Conflict("Someone is waiting for this type of device here: it goes to them first")
        rule = check_eligible(borrower=borrower, kind=device.kind)
        due_on = _today() + timedelta(days=rule.loan_days)
        clash = queries.booking_clash(device, _today(), due_on)
        if clash is not None:
            raise Conflict(
                f"This device is booked from {_day(clash.starts_on)} for {clash.purpose}: "
                "lend another one"
            )
        try:
            with transaction.atomic():
                loan = Loan.objects.create(
                    device=device,
                    borrower=borrower,
                    issued_by=by,
                    due_on=due_on,
                    agreement=agreement,
                    witnessed_by=witnessed_by,
                    condition_out=condition,
                )
        except IntegrityError as error:
            raise Conflict("This device is on loan already") from error
        # Their place in the queue for this type here is served, held device or not.
        open_hold = (
            own_hold
            or Hold.objects.select_for_update()
            .filter(
                borrower=borrower,
                kind=device.kind,
                branch=device.branch_id,
                status__in=OPEN_HOLD_STATUSES,
            )
            .first()
        )
        if open_hold is not None:
            other_device = open_hold.device_id if open_hold.device_id != device.pk else None
            open_hold.status = HoldStatus.COLLECTED
            open_hold.loan = loan
            open_hold.ended_at = timezone.now()
            open_hold.save(update_fields=["status", "loan", "ended_at"])
            if other_device:
                _free(_lock_device(other_device), by=by)
        device.status = DeviceStatus.ON_LOAN
        device.condition = condition
        device.save(update_fields=["status", "condition"])
        _history(device, by=by, what="lent", detail=f"loan {loan.reference}, due {due_on}")
        _audit(borrower, by=by, detail=f"loan {loan.reference} issued: {device.asset_tag}")
        notify(
            borrower,
            "issued",
            once_key=f"lending:loan:{loan.reference}:issued",
            about=_about(borrower),
            kind=device.get_kind_display().lower(),
            tag=device.asset_tag,
            due=_day(due_on),
        )
    return loan


def _lock_loan(loan: Loan) -> tuple[Loan, Device]:
    device = _lock_device(loan.device_id)
    loan = Loan.objects.select_related("borrower").get(pk=loan.pk)
    if loan.status != LoanStatus.ACTIVE:
        raise Conflict("This loan has ended")
    return loan, device


def renewal_refusal(loan: Loan, rule: LoanRule, *, today: date | None = None) -> str:
    """Why the loan cannot be renewed now, or "" when it can."""
    today = today or _today()
    if loan.status != LoanStatus.ACTIVE:
        return "This loan has ended"
    if loan.renewals >= rule.renewals_allowed:
        return f"This loan has been renewed {loan.renewals} times, the most allowed"
    opens = loan.due_on - timedelta(days=rule.renew_within_days)
    if today < opens:
        return f"This loan can be renewed from {_day(opens)}"
    return ""


def renew_loan(*, loan: Loan, by: User | None) -> Loan:
    """Another loan period from the due date, within the rules, unless
    someone is waiting for this type of device at its branch."""
    with transaction.atomic():
        loan, device = _lock_loan(loan)
        rule = rule_for(device.kind)
        refusal = renewal_refusal(loan, rule)
        if refusal:
            raise Conflict(refusal)
        if queries.others_waiting(device.kind, device.branch_id, borrower=loan.borrower):
            raise Conflict(
                "Someone is waiting for this type of device, so the loan cannot be renewed"
            )
        new_due = max(loan.due_on, _today()) + timedelta(days=rule.loan_days)
        clash = queries.booking_clash(device, loan.due_on + timedelta(days=1), new_due)
        if clash is not None:
            raise Conflict(
                f"This device is booked from {_day(clash.starts_on)} for {clash.purpose}"
            )
        loan.due_on = new_due
        loan.renewals += 1
        loan.save(update_fields=["due_on", "renewals"])
        _history(device, by=by, what="renewed", detail=f"loan {loan.reference}, due {new_due}")
        _audit(loan.borrower, by=by, detail=f"loan {loan.reference} renewed to {new_due}")
        notify(
            loan.borrower,
            "renewed",
            once_key=f"lending:loan:{loan.reference}:renewed:{loan.renewals}",
            about=_about(loan.borrower),
            kind=device.get_kind_display().lower(),
            tag=device.asset_tag,
            due=_day(new_due),
        )
    return loan


def return_loan(
    *, loan: Loan, by: User | None, condition: str, missing_parts: str = "", notes: str = ""
) -> Loan:
    """The device is back: it waits for a wipe and check before anyone else has it."""
    if condition not in Condition.values:
        raise Invalid("Choose the condition the device came back in", field="condition")
    with transaction.atomic():
        loan, device = _lock_loan(loan)
        loan.status = LoanStatus.RETURNED
        loan.returned_at = timezone.now()
        loan.returned_by = by
        loan.condition_in = condition
        loan.missing_parts = visible_text(missing_parts)[:300]
        loan.return_notes = visible_lines(notes)[:2000]
        loan.save()
        device.status = DeviceStatus.AWAITING_CHECK
        device.condition = condition
        device.save(update_fields=["status", "condition"])
        detail = f"loan {loan.reference}, {Condition(condition).label.lower()}"
        if loan.missing_parts:
            detail += f", missing: {loan.missing_parts}"
        _history(device, by=by, what="returned", detail=detail)
        _audit(loan.borrower, by=by, detail=f"loan {loan.reference} returned")
    return loan


def record_lost(*, loan: Loan, by: User | None, notes: str = "") -> Loan:
    with transaction.atomic():
        loan, device = _lock_loan(loan)
        loan.status = LoanStatus.LOST
        loan.returned_at = timezone.now()
        loan.returned_by = by
        loan.return_notes = visible_lines(notes)[:2000]
        loan.save()
        device.status = DeviceStatus.LOST
        device.save(update_fields=["status"])
        _history(device, by=by, what="lost", detail=f"loan {loan.reference}")
        _audit(loan.borrower, by=by, detail=f"loan {loan.reference} recorded as lost")
    return loan


# Notices --------------------------------------------------------------------


def _loan_facts(loan: Loan) -> dict[str, str]:
    return {
        "kind": loan.device.get_kind_display().lower(),
        "tag": loan.device.asset_tag,
        "due": _day(loan.due_on),
    }


def send_reminder_by_hand(*, loan: Loan, by: User | None) -> bool:
    """Staff press "send a reminder": at most one a day for a loan."""
    with transaction.atomic():
        loan = Loan.objects.select_related("borrower", "device").get(pk=loan.pk)
        if loan.status != LoanStatus.ACTIVE:
            raise Conflict("This loan has ended")
        if not (loan.borrower.email or loan.borrower.phone):
            raise Conflict("There is no email address or phone number for this borrower")
        notice = "overdue" if loan.is_overdue() else "reminder"
        sent = notify(
            loan.borrower,
            notice,
            once_key=f"lending:loan:{loan.reference}:by_hand:{_today()}",
            about=_about(loan.borrower),
            **_loan_facts(loan),
        )
        if not sent:
            raise Conflict("A reminder for this loan was sent today already")
        _audit(loan.borrower, by=by, detail=f"reminder sent for loan {loan.reference}")
    return sent


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Timed job: a reminder a few days before the due date, once per due date."""
    today = timezone.localdate(now) if now else _today()
    upto = today + timedelta(days=settings.FINGERPOST_LENDING_REMINDER_DAYS)
    sent = 0
    for loan in queries.loans_due_between(today, upto):
        with transaction.atomic():
            sent += notify(
                loan.borrower,
                "reminder",
                once_key=f"lending:loan:{loan.reference}:due:{loan.due_on}",
                about=_about(loan.borrower),
                **_loan_facts(loan),
            )
    return sent


def send_overdue_notices(*, now: datetime | None = None) -> int:
    """Timed job: an overdue notice on each of the configured days after the
    due date, each once (a missed day sends only the latest step)."""
    today = timezone.localdate(now) if now else _today()
    steps = sorted(day for day in settings.FINGERPOST_LENDING_OVERDUE_DAYS if day > 0)
    if not steps:
        return 0
    sent = 0
    for loan in queries.loans_overdue_by(today, steps[0]):
        late = (today - loan.due_on).days
        step = max(day for day in steps if day <= late)
        with transaction.atomic():
            sent += notify(
                loan.borrower,
                "overdue",
                once_key=f"lending:loan:{loan.reference}:overdue:{loan.due_on}:{step}",
                about=_about(loan.borrower),
                **_loan_facts(loan),
            )
    return sent


# Data protection -------------------------------------------------------------


def anonymise_borrower(*, borrower: Borrower, by: User | None, erase: bool = False) -> Borrower:
    """Blank the borrower's personal details; loans stay (without them) for
    the figures. Refused while they have a device: it must come back first."""
    with transaction.atomic():
        borrower = _lock_borrower(borrower.pk)
        if Loan.objects.filter(borrower=borrower, status=LoanStatus.ACTIVE).exists():
            raise Conflict("This borrower has a device on loan: record its return first")
        for hold in Hold.objects.select_for_update().filter(
            borrower=borrower, status__in=OPEN_HOLD_STATUSES
        ):
            if hold.device_id:
                device = _lock_device(hold.device_id)
                hold.status = HoldStatus.CANCELLED
                hold.ended_at = timezone.now()
                hold.save(update_fields=["status", "ended_at"])
                _free(device, by=by)
            else:
                hold.status = HoldStatus.CANCELLED
                hold.ended_at = timezone.now()
                hold.save(update_fields=["status", "ended_at"])
        Borrower.objects.filter(pk=borrower.pk).update(
            name=ANONYMISED_NAME,
            email="",
            phone="",
            library_card="",
            address="",
            referral="",
            anonymised_at=timezone.now(),
        )
        Loan.objects.filter(borrower=borrower).update(witnessed_by="", return_notes="")
        _audit(
            borrower,
            by=by,
            detail="erased" if erase else "anonymised after retention",
            action=AuditAction.ERASE if erase else AuditAction.ANONYMISE,
        )
        borrower.refresh_from_db()
    return borrower


def anonymise_lapsed_borrowers(*, now: datetime | None = None) -> int:
    """Timed job: borrowers with nothing open whose last loan or hold ended
    longer ago than the retention period."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_LENDING_RETENTION_DAYS)
    done = 0
    for borrower in queries.borrowers_past_retention(cutoff):
        try:
            anonymise_borrower(borrower=borrower, by=None)
        except Conflict:
            continue
        done += 1
    return done


# Loan rules -------------------------------------------------------------------


RULE_FIELDS = (
    "loan_days",
    "renewals_allowed",
    "renew_within_days",
    "per_borrower",
    "referral_required",
    "hold_days",
)


def save_rule(*, kind: str, by: User | None, **values: Any) -> LoanRule:
    rule_for(kind)
    limits = {
        "loan_days": (1, 365),
        "renewals_allowed": (0, 20),
        "renew_within_days": (0, 365),
        "per_borrower": (1, 10),
        "hold_days": (1, 60),
    }
    for name, (low, high) in limits.items():
        value = values.get(name)
        if not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"Enter a whole number from {low} to {high}", field=name)
    with transaction.atomic():
        rule, _ = LoanRule.objects.update_or_create(
            kind=kind, defaults={name: values[name] for name in RULE_FIELDS}
        )
        audit.record(
            actor=by,
            action=AuditAction.CHANGE,
            subject_type="loan_rule",
            reference=kind,
            detail=", ".join(f"{name}={values[name]}" for name in RULE_FIELDS),
        )
    return rule


def device_at(asset_tag: str) -> Device:
    device = Device.objects.filter(asset_tag=asset_tag).first()
    if device is None:
        raise NotFound("There is no such device")
    return device
