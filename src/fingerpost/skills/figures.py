"""Partnership-wide figures for the public: help requests by need and skills
checks by part of the framework, with small numbers hidden
(core.disclosure) so that nobody can be identified."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from fingerpost.core.disclosure import (
    Figure,
    suppress,
    suppress_independent,
    suppress_parts,
)
from fingerpost.helpdesk.models import HelpRequest, HelpRequestNeed, Need

from .framework import AREAS
from .models import SkillsCheckResult


@dataclass(frozen=True)
class SkillsRow:
    title: str
    can_do_all: Figure
    still_learning: Figure


@dataclass(frozen=True)
class PublicFigures:
    requests_total: Figure
    requests_by_need: list[Figure]
    checks_total: Figure
    skills_rows: list[SkillsRow]


def help_requests_by_need() -> tuple[int, list[tuple[str, int]]]:
    """Every request for help made, and how many asked for each need (a
    request can ask for several, so the needs add up to more than the total)."""
    total = HelpRequest.objects.count()
    counts = dict(
        HelpRequestNeed.objects.values_list("need").annotate(n=Count("request_id", distinct=True))
    )
    return total, [(str(label), counts.get(value, 0)) for value, label in Need.choices]


def skills_checks_by_area() -> tuple[int, list[tuple[str, int, int]]]:
    """Every skills check finished, and for each part of the framework how many
    people can do all of it and how many are still learning some of it."""
    aggregates = SkillsCheckResult.objects.aggregate(
        total=Count("pk"),
        **{area.key: Count("pk", filter=Q(**{f"gaps_{area.key}": 0})) for area in AREAS},
    )
    total = aggregates["total"]
    return total, [
        (str(area.title), aggregates[area.key], total - aggregates[area.key]) for area in AREAS
    ]


def public_figures() -> PublicFigures:
    requests_total, by_need = help_requests_by_need()
    checks_total, by_area = skills_checks_by_area()
    rows = []
    for title, can_do_all, still_learning in by_area:
        can, learning = suppress_parts([("can", can_do_all), ("learning", still_learning)])
        rows.append(SkillsRow(title, can, learning))
    return PublicFigures(
        requests_total=suppress(requests_total, "Requests for help"),
        requests_by_need=suppress_independent(by_need),
        checks_total=suppress(checks_total, "Skills checks"),
        skills_rows=rows,
    )
