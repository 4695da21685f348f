"""Lending's figures for the insights dashboard (`core.registry.add_insight`):
loans made in the period and what became of them, by month, by the branch
that lent the device and by kind of device. Three aggregate queries whatever
the volume."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fingerpost.core.registry import InsightQuery, InsightTable

from .models import DeviceKind, Loan, LoanStatus

COLUMNS = ("Loans", "Returned", "Still out", "Overdue", "Lost")
NOTE = (
    "Loans made in the period and where they are now; an overdue loan is one "
    "still out after its due date (also counted as still out)."
)


def loans_for(query: InsightQuery) -> QuerySet[Loan]:
    begin, finish = query.between()
    loans = Loan.objects.filter(issued_at__gte=begin, issued_at__lt=finish)
    if query.organisation_ids is not None:
        loans = loans.filter(device__branch_id__in=query.organisation_ids)
    return loans.order_by()


def _measures() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "loans": Count("pk"),
        "returned": Count("pk", filter=Q(status=LoanStatus.RETURNED)),
        "out": Count("pk", filter=Q(status=LoanStatus.ACTIVE)),
        "overdue": Count("pk", filter=Q(status=LoanStatus.ACTIVE, due_on__lt=today)),
        "lost": Count("pk", filter=Q(status=LoanStatus.LOST)),
    }


def _values(row: Mapping[str, Any]) -> tuple[int, ...]:
    return (row["loans"], row["returned"], row["out"], row["overdue"], row["lost"])


def figures(query: InsightQuery) -> list[InsightTable]:
    loans = loans_for(query)
    tz = timezone.get_current_timezone()
    by_month: dict[date, tuple[int, ...]] = {
        row["month"].date(): _values(row)
        for row in loans.annotate(month=TruncMonth("issued_at", tzinfo=tz))
        .values("month")
        .annotate(**_measures())
    }
    by_branch = [
        (row["device__branch__name"], _values(row))
        for row in loans.values("device__branch__name")
        .annotate(**_measures())
        .order_by("device__branch__name")
    ]
    by_kind = {
        row["device__kind"]: _values(row)
        for row in loans.values("device__kind").annotate(**_measures())
    }
    empty = (0, 0, 0, 0, 0)
    return [
        InsightTable(
            key="lending.months",
            title="Device loans by month",
            label_heading="Month",
            columns=COLUMNS,
            rows=[(f"{month:%B %Y}", by_month.get(month, empty)) for month in query.months()],
            unit="loans",
            note=NOTE,
        ),
        InsightTable(
            key="lending.organisations",
            title="Device loans by branch",
            label_heading="Branch",
            columns=COLUMNS,
            rows=by_branch,
            unit="loans",
        ),
        InsightTable(
            key="lending.kinds",
            title="Device loans by kind of device",
            label_heading="Kind of device",
            columns=COLUMNS,
            rows=[(str(label), by_kind.get(value, empty)) for value, label in DeviceKind.choices],
            unit="loans",
        ),
    ]
