"""The insights dashboard and its downloads: thin, over forms.FilterForm
(who may see what, and the filters) and figures.dashboard (the registered sources)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from rules.contrib.views import permission_required

from fingerpost.core import spreadsheets
from fingerpost.core.disclosure import SMALLEST_SHOWN
from fingerpost.core.views import query_without, signed_in_user

from . import figures, queries
from .forms import FilterForm


@require_safe
@login_required
@permission_required("insights.view_dashboard", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = queries.scope_for(signed_in_user(request))
    filters = FilterForm(request.GET or None, scope=scope)
    context = {
        "form": filters,
        "smallest_shown": SMALLEST_SHOWN,
        "partnership": scope is None,
        "cache_minutes": figures.cache_seconds() // 60,
    }
    if filters.is_bound and not filters.is_valid():
        return render(request, "insights/dashboard.html", context, status=400)
    query = filters.insight_query()
    organisation = filters.cleaned_data.get("organisation") if filters.is_bound else None
    sources = figures.dashboard(query, organisation_chosen=organisation is not None)
    fmt = request.GET.get("format", "")
    if fmt:
        return _download(fmt, request.GET.get("table", ""), sources, query.start, query.end)
    context.update(
        sources=sources,
        query=query,
        organisation=organisation,
        area=filters.cleaned_data.get("area") if filters.is_bound else None,
        download_query=query_without(request, "format", "table"),
    )
    return render(request, "insights/dashboard.html", context)


def _download(
    fmt: str, key: str, sources: list[figures.Source], start: date, end: date
) -> HttpResponse:
    period = f"{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"
    if not key:
        header, rows = figures.all_tables_spreadsheet(sources)
        name = f"insights-{period}"
    else:
        table = figures.find_table(sources, key)
        if table is None:
            raise Http404("No such table")
        header, rows = table.spreadsheet()
        name = f"insights-{table.anchor}-{period}"
    return spreadsheets.spreadsheet_response(fmt, filename=name, header=header, rows=rows)
