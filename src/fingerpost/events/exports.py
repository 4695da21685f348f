"""Spreadsheets for organisers: the attendee list and the feedback, as CSV or
Excel. Rows are built once, then written by core.spreadsheets."""

from datetime import datetime

from django.utils import timezone
from django.utils.text import slugify

from fingerpost.core.spreadsheets import Cell

from .models import Event, FeedbackQuestionKind
from .queries import AttendeeList, feedback_questions, feedback_responses


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def attendee_rows(attendees: AttendeeList) -> tuple[list[str], list[list[Cell]]]:
    header = [
        "Name",
        "Email",
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


def export_filename(event: Event, what: str) -> str:
    date = timezone.localtime(event.starts_at).strftime("%Y-%m-%d") if event.starts_at else ""
    return "-".join(part for part in (slugify(event.title)[:60] or "event", date, what) if part)
