"""The dashboard's figures as JSON, by period, organisation and area: the same
sources, scope and small-number rules as the page (a hidden figure has no
`value`, only its `text`)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_common import ErrorOut, IsoDate, api_user
from fingerpost.core.errors import Invalid

from . import figures, queries
from .forms import FilterForm

router = Router(tags=["insights"], auth=token_or_session_auth)


class FiltersIn(Schema):
    start: str = ""
    end: str = ""
    organisation: str = ""
    area: str = ""


class CellOut(Schema):
    value: int | float | None
    text: str
    hidden: bool


class RowOut(Schema):
    label: str
    cells: list[CellOut]


class TableOut(Schema):
    key: str
    title: str
    label_heading: str
    columns: list[str]
    rows: list[RowOut]
    total: RowOut | None
    summary: str
    note: str


class SourceOut(Schema):
    name: str
    title: str
    notes: list[str]
    tables: list[TableOut]


class FiguresOut(Schema):
    start: IsoDate
    end: IsoDate
    organisation: str | None
    area: str | None
    sources: list[SourceOut]


def _row(row: figures.Row) -> RowOut:
    return RowOut(
        label=row.label,
        cells=[
            CellOut(
                value=figures.exact_value(cell),
                text=cell.text,
                hidden=cell.hidden_as in figures.HIDDEN_AS,
            )
            for cell in row.cells
        ],
    )


def _table(table: figures.Table) -> TableOut:
    return TableOut(
        key=table.key,
        title=table.title,
        label_heading=table.label_heading,
        columns=list(table.columns),
        rows=[_row(row) for row in table.rows],
        total=_row(table.total) if table.total else None,
        summary=table.summary,
        note=table.note,
    )


@router.get(
    "/",
    response={200: FiguresOut, 403: ErrorOut, 422: ErrorOut},
    summary="The dashboard's figures",
)
def dashboard_figures(request: HttpRequest, filters: Query[FiltersIn]) -> FiguresOut:
    """Every table of the insights dashboard for a period (`start`, `end`:
    YYYY-MM-DD, by default the last twelve months), one organisation (its
    short name; by default all the caller's, or the whole partnership for an
    admin) and an area (its short name)."""
    user = api_user(request, "insights.view_dashboard")
    form = FilterForm(
        {name: value for name, value in filters.dict().items() if value},
        scope=queries.scope_for(user),
    )
    if not form.is_valid():
        field, message = form.first_error()
        raise Invalid(message, field=field or None)
    query = form.insight_query()
    organisation, area = form.cleaned_data.get("organisation"), form.cleaned_data.get("area")
    sources = figures.dashboard(query, organisation_chosen=organisation is not None)
    return FiguresOut(
        start=query.start,
        end=query.end,
        organisation=organisation.slug if organisation else None,
        area=area.slug if area else None,
        sources=[
            SourceOut(
                name=s.name, title=s.title, notes=s.notes, tables=[_table(t) for t in s.tables]
            )
            for s in sources
        ],
    )
