"""The dashboard's figures: every registered source's tables, with small
numbers hidden (core.disclosure), a chart of each and a summary in words.
The page, its downloads and the API all show these same figures."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches

from fingerpost.core import registry
from fingerpost.core.charts import Chart, bar_chart
from fingerpost.core.disclosure import (
    HIDDEN_TEXT,
    SECONDARY_TEXT,
    SMALLEST_SHOWN,
    Figure,
    suppress,
    suppress_independent,
    suppress_parts,
)
from fingerpost.core.registry import InsightQuery, InsightSource, InsightTable
from fingerpost.core.spreadsheets import Cell

NOT_KNOWN = "not known"
# A table this short is summed up row by row.
FEW_ROWS = 4


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Figure]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    label_heading: str
    columns: tuple[str, ...]
    rows: list[Row]
    # The column totals, for tables whose rows are parts of a whole.
    total: Row | None
    summary: str
    chart: Chart
    note: str = ""

    @property
    def anchor(self) -> str:
        return self.key.replace(".", "-")

    @property
    def wide(self) -> bool:
        return len(self.columns) > 2

    def spreadsheet(self) -> tuple[list[str], list[list[Cell]]]:
        """Header and rows; a hidden figure is its words, so a download says what the page says."""
        rows = [*self.rows, *([self.total] if self.total else [])]
        return (
            [self.label_heading, *self.columns],
            [[row.label, *(_cell(figure) for figure in row.cells)] for row in rows],
        )


@dataclass(frozen=True)
class Source:
    name: str
    title: str
    notes: list[str]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Measure(Figure):
    """A figure that is not a count (hours): drawn at its rounded value, shown
    and downloaded with one decimal place."""

    exact: float = 0.0

    @property
    def text(self) -> str:
        return f"{self.exact:,.1f}"


def _cell(figure: Figure) -> Cell:
    if isinstance(figure, Measure):
        return figure.exact
    return figure.hidden_as if figure.value is None else figure.value


HIDDEN_AS = (HIDDEN_TEXT, SECONDARY_TEXT)


def exact_value(figure: Figure) -> int | float | None:
    """The number shown, or None when it is hidden or not known."""
    return figure.exact if isinstance(figure, Measure) else figure.value


def _measure(label: str, value: int | float | None, base: int) -> Figure:
    if 0 < base < SMALLEST_SHOWN:
        return Figure(label, None, HIDDEN_TEXT)
    if value is None:
        return Figure(label, None, NOT_KNOWN)
    return Measure(label, round(value), exact=float(value))


def _column(table: InsightTable, index: int) -> tuple[list[Figure], Figure | None]:
    labels = [label for label, _ in table.rows]
    values = [values[index] for _, values in table.rows]
    if table.kind == "measures":
        bases = table.bases or tuple(0 for _ in values)
        return [
            _measure(lab, val, base) for lab, val, base in zip(labels, values, bases, strict=True)
        ], None
    counts = [(label, int(value or 0)) for label, value in zip(labels, values, strict=True)]
    if table.columns[index] in table.exact_columns:
        return [Figure(label, count) for label, count in counts], Figure(
            "Total", sum(count for _, count in counts)
        )
    if table.kind == "counts":
        return suppress_independent(counts), None
    total = sum(count for _, count in counts)
    return suppress_parts(counts), suppress(total, "Total")


def _summary(table: InsightTable, rows: list[Row], total_row: Row | None) -> str:
    if not rows:
        return f"There are no {table.unit or 'figures'} to show for this choice."
    if table.kind == "measures":
        return " ".join(
            f"{row.label}: {row.cells[0].text} {table.unit}."
            if isinstance(row.cells[0], Measure)
            else f"{row.label}: {row.cells[0].text}"
            + (
                " people are behind it, so it is hidden."
                if row.cells[0].hidden_as == HIDDEN_TEXT
                else "."
            )
            for row in rows
        )
    if table.kind == "counts" and len(rows) <= FEW_ROWS:
        return "; ".join(f"{row.label}: {row.cells[0].text}" for row in rows) + "."
    sentences = []
    for index, column in enumerate(table.columns):
        figures = [row.cells[index] for row in rows]
        if total_row is not None:
            total = total_row.cells[index]
            if total.value == 0:
                sentences.append(f"{column}: none.")
                continue
            if total.value is None:
                sentences.append(f"{column}: {total.text} in all, so the figures are hidden.")
                continue
            sentence = f"{column}: {total.text} in all"
        else:
            sentence = column
        shown = [f for f in figures if f.value]
        if shown:
            top = max(shown, key=lambda f: f.value or 0)
            joiner = "; the most" if total_row is not None else ": the most"
            sentence += f"{joiner} for {top.label} ({top.text})"
        elif total_row is None:
            sentence += ": " + ", ".join(f"{f.label} {f.text}" for f in figures)
        sentences.append(sentence + ".")
        if index == 1:
            # Two columns say enough; the table has the rest.
            break
    return " ".join(sentences)


def shown_table(table: InsightTable) -> Table:
    columns = [_column(table, index) for index in range(len(table.columns))]
    rows = [
        Row(label, [figures[i] for figures, _ in columns])
        for i, (label, _) in enumerate(table.rows)
    ]
    totals = [total for _, total in columns if total is not None]
    total = Row("Total", totals) if rows and len(totals) == len(columns) else None
    summary = _summary(table, rows, total)
    return Table(
        key=table.key,
        title=table.title,
        label_heading=table.label_heading,
        columns=table.columns,
        rows=rows,
        total=total,
        summary=summary,
        note=table.note,
        chart=bar_chart(
            figures=[row.cells[0] for row in rows],
            title=f"{table.title}: {table.columns[0].lower()}",
            description=summary,
            chart_id=f"chart-{table.key.replace('.', '-')}",
        ),
    )


def _notes(source: InsightSource, query: InsightQuery, organisation_chosen: bool) -> list[str]:
    notes = [source.note] if source.note else []
    if query.area_id is not None and not source.by_area:
        notes.append("The area chosen does not apply to these figures.")
    if organisation_chosen and not source.by_organisation:
        notes.append("The organisation chosen does not apply to these figures.")
    return notes


def cache_seconds() -> int:
    return int(getattr(settings, "FINGERPOST_INSIGHTS_CACHE_SECONDS", 300))


def _cache_key(source: InsightSource, query: InsightQuery) -> str:
    scope = (
        "all"
        if query.organisation_ids is None
        else ",".join(map(str, sorted(query.organisation_ids)))
    )
    digest = hashlib.sha256(
        f"{source.name}|{query.start}|{query.end}|{scope}|{query.area_id}".encode()
    ).hexdigest()
    return f"insights:{source.name}:{digest}"


def _source_tables(source: InsightSource, query: InsightQuery) -> list[InsightTable]:
    """The source's tables, kept for a few minutes (FINGERPOST_INSIGHTS_CACHE_SECONDS;
    0 is off): at 100,000 requests a source's scans take a few hundred
    milliseconds, and a dashboard is opened again and again with the same filters."""
    seconds = cache_seconds()
    if seconds <= 0:
        return source.figures(query)
    store = caches[getattr(settings, "FINGERPOST_INSIGHTS_CACHE", "default")]
    key = _cache_key(source, query)
    tables: list[InsightTable] | None = store.get(key)
    if tables is None:
        tables = source.figures(query)
        store.set(key, tables, seconds)
    return tables


def dashboard(query: InsightQuery, *, organisation_chosen: bool = False) -> list[Source]:
    """Every registered source's figures for the query, in the registry's order."""
    return [
        Source(
            source.name,
            source.title,
            _notes(source, query, organisation_chosen),
            [shown_table(table) for table in _source_tables(source, query)],
        )
        for source in registry.insight_sources()
    ]


def find_table(sources: list[Source], key: str) -> Table | None:
    return next((t for s in sources for t in s.tables if t.key == key), None)


def all_tables_spreadsheet(sources: list[Source]) -> tuple[list[str], list[list[Cell]]]:
    """Every table in one sheet, one figure a line."""
    rows: list[list[Cell]] = []
    for source in sources:
        for table in source.tables:
            for row in [*table.rows, *([table.total] if table.total else [])]:
                for column, figure in zip(table.columns, row.cells, strict=True):
                    rows.append([table.title, row.label, column, _cell(figure)])
    return ["Table", "Row", "Measure", "Value"], rows
