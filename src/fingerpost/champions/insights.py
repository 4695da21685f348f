"""Champions' figures for the insights dashboard (`core.registry.add_insight`):
sessions given in the period and their hours, by month and by host
organisation, and how confident residents said they felt before and after.
Three aggregate queries whatever the volume."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth, Upper

from fingerpost.core.registry import InsightQuery, InsightTable

from .models import HelpSession

COLUMNS = ("Sessions", "Hours", "More confident after")
NOTE = (
    "Sessions champions recorded as given in the period, by the champion's host "
    "organisation; hours are rounded to the nearest hour."
)


def sessions_for(query: InsightQuery) -> QuerySet[HelpSession]:
    sessions = HelpSession.objects.filter(given_on__gte=query.start, given_on__lte=query.end)
    if query.organisation_ids is not None:
        sessions = sessions.filter(organisation_id__in=query.organisation_ids)
    if query.area_id is not None:
        # A session is in the area of the request it was for.
        sessions = sessions.alias(area_upper=Upper("help_request__area")).filter(
            area_upper__in=query.area_terms
        )
    return sessions.order_by()


def _measures() -> dict[str, Any]:
    return {
        "sessions": Count("pk"),
        "minutes": Coalesce(Sum("minutes"), 0),
        "better": Count("pk", filter=Q(confidence_after__gt=F("confidence_before"))),
    }


def _values(row: Mapping[str, Any]) -> tuple[int, int, int]:
    return (row["sessions"], round(row["minutes"] / 60), row["better"])


def figures(query: InsightQuery) -> list[InsightTable]:
    sessions = sessions_for(query)
    by_month: dict[date, tuple[int, ...]] = {
        row["month"]: _values(row)
        for row in sessions.annotate(month=TruncMonth("given_on"))
        .values("month")
        .annotate(**_measures())
    }
    by_organisation = [
        (row["organisation__name"], _values(row))
        for row in sessions.values("organisation__name")
        .annotate(**_measures())
        .order_by("organisation__name")
    ]
    champions = sessions.aggregate(n=Count("champion", distinct=True))["n"]
    empty = (0, 0, 0)
    return [
        InsightTable(
            key="champions.overview",
            title="Digital champions",
            label_heading="Measure",
            columns=("Champions",),
            rows=[("Champions who gave sessions", (champions,))],
            kind="counts",
            unit="champions",
        ),
        InsightTable(
            key="champions.months",
            title="Champions' sessions and hours by month",
            label_heading="Month",
            columns=COLUMNS,
            rows=[(f"{month:%B %Y}", by_month.get(month, empty)) for month in query.months()],
            exact_columns=("Hours",),
            unit="sessions",
            note=NOTE,
        ),
        InsightTable(
            key="champions.organisations",
            title="Champions' sessions and hours by organisation",
            label_heading="Organisation",
            columns=COLUMNS,
            rows=by_organisation,
            exact_columns=("Hours",),
            unit="sessions",
        ),
    ]
