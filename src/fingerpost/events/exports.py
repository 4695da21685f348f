"""Spreadsheets for organisers: the attendee list and the feedback, as CSV or
Excel. Rows are built once, then written in the chosen format. Cells that a
spreadsheet would run as a formula are made plain text."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from .models import Event, FeedbackQuestionKind
from .organiser_queries import AttendeeList, feedback_questions, feedback_responses

Cell = str | int | float | None
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Cell) -> Cell:
    """Text that would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def attendee_rows(attendees: AttendeeList) -> tuple[list[str], list[list[Cell]]]:
    header = [
        "Name",
        "E-mail",
        "Organisation",
        "Places",
        "Reference",
        *[question.text for question in attendees.questions],
        "Checked in",
        "Walk-in",
    ]
    rows: list[list[Cell]] = [
        [
            a.booking.name,
            a.booking.email,
            a.booking.organisation_name,
            a.booking.places,
            a.booking.reference,
            *a.answers,
            _yes_no(a.booking.checked_in_at is not None),
            _yes_no(a.booking.is_walk_in),
        ]
        for a in attendees.attendees
    ]
    return header, rows


def feedback_rows(event: Event) -> tuple[list[str], list[list[Cell]]]:
    """One row per response, without names: feedback is read for what it says."""
    questions = feedback_questions(event)
    header = ["Submitted", *[question.text for question in questions]]
    rows: list[list[Cell]] = []
    for response in feedback_responses(event):
        row: list[Cell] = [_when(response.submitted_at)]
        for question in questions:
            answer = response.answers.get(str(question.pk))
            if question.kind == FeedbackQuestionKind.RATING and isinstance(answer, int):
                row.append(answer)
            else:
                row.append("" if answer is None else str(answer))
        rows.append(row)
    return header, rows


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    # The byte-order mark tells Excel the file is UTF-8, so names keep their accents.
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(value: Cell) -> Cell:
        # Excel files cannot hold control characters; drop them before the formula check.
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        return safe_cell(value)

    workbook = Workbook(write_only=True)
    # Sheet titles are limited to 31 characters and some punctuation.
    sheet = workbook.create_sheet(title=slugify(title)[:31] or "Sheet1")
    sheet.append([cell(value) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spreadsheet_response(
    fmt: str,
    *,
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
) -> HttpResponse:
    """An attachment download; an unknown format is a page that does not exist."""
    if fmt == "csv":
        content = write_csv(header, rows)
    elif fmt == "xlsx":
        content = write_xlsx(header, rows, title=filename)
    else:
        raise Http404("No such format")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{fmt}"
    )
    return response


def export_filename(event: Event, what: str) -> str:
    date = timezone.localtime(event.starts_at).strftime("%Y-%m-%d") if event.starts_at else ""
    return "-".join(part for part in (slugify(event.title)[:60] or "event", date, what) if part)
