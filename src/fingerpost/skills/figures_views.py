"""The public figures page: charts drawn on the server, each with its data
table and a summary in words."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fingerpost.core.charts import bar_chart
from fingerpost.core.disclosure import SMALLEST_SHOWN, Figure

from .figures import PublicFigures
from .figures import public_figures as public_figures_data


def _largest(figures: list[Figure]) -> Figure | None:
    shown = [f for f in figures if f.value]
    return max(shown, key=lambda f: f.value or 0) if shown else None


def _needs_summary(data: PublicFigures) -> str:
    if data.requests_total.value is None or not data.requests_total.value:
        return "There are not yet enough requests for help to publish figures."
    top = _largest(data.requests_by_need)
    text = f"{data.requests_total.text} requests for help have been made."
    if top is not None:
        text += f" The most common need was “{top.label.lower()}” ({top.text} requests)."
    return text


def _skills_summary(data: PublicFigures) -> str:
    if data.checks_total.value is None or not data.checks_total.value:
        return "There are not yet enough skills checks to publish figures."
    learning = [row for row in data.skills_rows if row.still_learning.value is not None]
    text = f"{data.checks_total.text} people have finished the skills check."
    if learning:
        most = max(learning, key=lambda row: row.still_learning.value or 0)
        text += (
            f" The part most people are still learning is “{most.title.lower()}” "
            f"({most.still_learning.text} people)."
        )
    return text


@require_safe
def public_figures(request: HttpRequest) -> HttpResponse:
    data = public_figures_data()
    needs_chart = bar_chart(
        figures=data.requests_by_need,
        title="Requests for help by need",
        description=_needs_summary(data),
        chart_id="needs-chart",
    )
    learning = [
        Figure(row.title, row.still_learning.value, row.still_learning.hidden_as)
        for row in data.skills_rows
    ]
    skills_chart = bar_chart(
        figures=learning,
        title="People still learning each part of the essential digital skills",
        description=_skills_summary(data),
        chart_id="skills-chart",
    )
    return render(
        request,
        "skills/figures.html",
        {
            "data": data,
            "needs_chart": needs_chart,
            "skills_chart": skills_chart,
            "smallest_shown": SMALLEST_SHOWN,
        },
    )
