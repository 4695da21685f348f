"""Lending API (token): devices free per type and branch, holds, and issue,
renew and return. The same scopes, services and audit as the staff pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from fingerpost.accounts.models import User
from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_common import BoundedLimitOffsetPagination, ErrorOut, IsoDate, api_user
from fingerpost.core.errors import NotFound

from . import queries, services
from .models import Borrower, Condition, Device, DeviceKind, Hold, Loan

router = Router(tags=["lending"], auth=token_or_session_auth)

CHANGE_RESPONSES = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class AvailabilityOut(Schema):
    branch: str
    branch_id: int
    kind: str
    available: int
    total: int
    waiting: int


class HoldOut(Schema):
    id: int
    borrower: str = Field(..., alias="borrower.reference")
    kind: str
    branch: str = Field(..., alias="branch.name")
    status: str
    device: str | None
    created_at: datetime
    expires_at: datetime | None

    @staticmethod
    def resolve_device(obj: Hold) -> str | None:
        return obj.device.asset_tag if obj.device else None


class HoldIn(Schema):
    borrower: str = Field(..., max_length=12, description="The borrower's reference")
    kind: DeviceKind
    branch_id: int


class LoanOut(Schema):
    reference: str
    device: str = Field(..., alias="device.asset_tag")
    kind: str = Field(..., alias="device.kind")
    borrower: str = Field(..., alias="borrower.reference")
    status: str
    issued_at: datetime
    due_on: IsoDate
    renewals: int
    returned_at: datetime | None


class IssueIn(Schema):
    asset_tag: str = Field(..., max_length=40)
    borrower: str = Field(..., max_length=12, description="The borrower's reference")
    agreement: Literal["screen", "paper"]
    witnessed_by: str = Field("", max_length=150)
    condition: Condition | Literal[""] = ""


class ReturnIn(Schema):
    condition: Condition
    missing_parts: str = Field("", max_length=300)
    notes: str = Field("", max_length=2000)


@router.get("/availability", response={200: list[AvailabilityOut], 403: ErrorOut})
def availability(
    request: HttpRequest, kind: DeviceKind | Literal[""] = "", branch_id: int | None = None
) -> list[queries.Availability]:
    """Devices free now and people waiting, per branch and type (no personal data)."""
    api_user(request)
    rows = queries.availability()
    return [
        row
        for row in rows
        if (not kind or row.kind == kind) and (branch_id is None or row.branch_id == branch_id)
    ]


@router.get("/holds", response=list[HoldOut])
@paginate(BoundedLimitOffsetPagination)
def list_holds(request: HttpRequest) -> QuerySet[Hold]:
    """Open holds at your branches, in the order they are served."""
    user = api_user(request, "lending.manage")
    return queries.hold_queue(user)


def _borrower(user: User, reference: str) -> Borrower:
    borrower = queries.borrower_for(user, reference.strip().upper())
    if borrower is None:
        raise NotFound("There is no borrower with this reference at your branches")
    return borrower


@router.post("/holds", response={201: HoldOut, **CHANGE_RESPONSES})
def place_hold(request: HttpRequest, payload: HoldIn) -> Status[Hold]:
    user = api_user(request, "lending.manage")
    borrower = _borrower(user, payload.borrower)
    branch = queries.branches_for(user).filter(pk=payload.branch_id).first()
    if branch is None:
        raise NotFound("There is no such branch among yours")
    hold = services.place_hold(borrower=borrower, kind=payload.kind, branch=branch, by=user)
    found = queries.hold_for(user, hold.pk)
    assert found is not None  # placed just now, at one of their branches
    return Status(201, found)


def _loan(user: User, reference: str) -> Loan:
    loan = queries.loan_for(user, reference)
    if loan is None:
        raise NotFound("There is no such loan")
    return loan


@router.get("/loans/{reference}", response={200: LoanOut, 403: ErrorOut, 404: ErrorOut})
def read_loan(request: HttpRequest, reference: str) -> Loan:
    user = api_user(request, "lending.manage")
    loan = _loan(user, reference)
    services.record_viewed(borrower=loan.borrower, by=user, detail=f"api loan {loan.reference}")
    return loan


@router.post("/loans", response={201: LoanOut, **CHANGE_RESPONSES})
def issue(request: HttpRequest, payload: IssueIn) -> Status[Loan]:
    """Lend a device to a borrower who accepted the loan agreement."""
    user = api_user(request, "lending.manage")
    device = queries.device_for(user, payload.asset_tag.strip().upper())
    if device is None:
        raise NotFound("There is no such device at your branches")
    borrower = _borrower(user, payload.borrower)
    loan = services.issue_loan(
        device=device,
        borrower=borrower,
        by=user,
        agreement=payload.agreement,
        witnessed_by=payload.witnessed_by,
        condition=payload.condition,
    )
    return Status(201, _loan(user, loan.reference))


@router.post("/loans/{reference}/renew", response={200: LoanOut, **CHANGE_RESPONSES})
def renew(request: HttpRequest, reference: str) -> Loan:
    user = api_user(request, "lending.manage")
    services.renew_loan(loan=_loan(user, reference), by=user)
    return _loan(user, reference)


@router.post("/loans/{reference}/return", response={200: LoanOut, **CHANGE_RESPONSES})
def return_loan(request: HttpRequest, reference: str, payload: ReturnIn) -> Loan:
    """The device then waits for its wipe and check (on the staff pages)."""
    user = api_user(request, "lending.manage")
    services.return_loan(
        loan=_loan(user, reference),
        by=user,
        condition=payload.condition,
        missing_parts=payload.missing_parts,
        notes=payload.notes,
    )
    return _loan(user, reference)


class DeviceOut(Schema):
    asset_tag: str
    kind: str
    branch: str = Field(..., alias="branch.name")
    status: str
    condition: str


class WipeCheckIn(Schema):
    wiped: bool
    checked: bool
    condition: Condition
    notes: str = Field("", max_length=2000)


@router.post("/devices/{asset_tag}/wipe-check", response={200: DeviceOut, **CHANGE_RESPONSES})
def wipe_check(request: HttpRequest, asset_tag: str, payload: WipeCheckIn) -> Device:
    """Confirm a returned device was wiped and checked; it then goes to the
    next person waiting, or back on the shelf."""
    user = api_user(request, "lending.manage")
    device = queries.device_for(user, asset_tag.strip().upper())
    if device is None:
        raise NotFound("There is no such device at your branches")
    return services.confirm_wipe_check(
        device=device,
        by=user,
        wiped=payload.wiped,
        checked=payload.checked,
        condition=payload.condition,
        notes=payload.notes,
    )
