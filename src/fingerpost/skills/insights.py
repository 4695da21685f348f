"""The skills check's figures for the insights dashboard
(`core.registry.add_insight`): checks finished in the period, the parts people
are still learning, and the gaps by area. Results are anonymous and belong to
no organisation. Two aggregate queries whatever the volume."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from fingerpost.core.registry import InsightQuery, InsightTable

from .framework import AREAS
from .models import SkillsCheckResult

NOT_GIVEN = "Area not given"


def results_for(query: InsightQuery) -> QuerySet[SkillsCheckResult]:
    begin, finish = query.between()
    results = SkillsCheckResult.objects.filter(completed_at__gte=begin, completed_at__lt=finish)
    if query.area_id is not None:
        results = results.filter(area_id=query.area_id)
    return results.order_by()


def figures(query: InsightQuery) -> list[InsightTable]:
    results = results_for(query)
    learning = {area.key: Count("pk", filter=Q(**{f"gaps_{area.key}__gt": 0})) for area in AREAS}
    by_area: list[dict[str, Any]] = [
        dict(row)
        for row in results.values("area__name")
        .annotate(n=Count("pk"), **learning)
        .order_by("area__name")
    ]
    tz = timezone.get_current_timezone()
    by_month: dict[date, int] = {
        row["month"].date(): row["n"]
        for row in results.annotate(month=TruncMonth("completed_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
    }
    totals = {area.key: sum(row[area.key] for row in by_area) for area in AREAS}
    return [
        InsightTable(
            key="skills.months",
            title="Skills checks finished by month",
            label_heading="Month",
            columns=("Checks finished",),
            rows=[(f"{month:%B %Y}", (by_month.get(month, 0),)) for month in query.months()],
            unit="checks",
        ),
        InsightTable(
            key="skills.parts",
            title="People still learning each part of the essential digital skills",
            label_heading="Part",
            columns=("People still learning",),
            rows=[(str(area.title), (totals[area.key],)) for area in AREAS],
            # One person can be learning several parts.
            kind="counts",
            unit="people",
            note="Still learning: one or more of the part's tasks not yet done alone.",
        ),
        InsightTable(
            key="skills.areas",
            title="Skills checks finished by area",
            label_heading="Area",
            columns=("Checks finished",),
            rows=[(row["area__name"] or NOT_GIVEN, (row["n"],)) for row in by_area],
            unit="checks",
        ),
        InsightTable(
            key="skills.area_gaps",
            title="Skills still to learn by area",
            label_heading="Area",
            columns=tuple(str(area.title) for area in AREAS),
            rows=[
                (row["area__name"] or NOT_GIVEN, tuple(row[area.key] for area in AREAS))
                for row in by_area
            ],
            kind="counts",
            unit="people",
        ),
    ]
