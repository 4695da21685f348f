"""Every change to a help request goes through these modules:

- `intake`: asking for help (online, by phone or at the counter, a referral);
- `workflow`: triage, assignment, routing, bookings, contact, notes,
  safeguarding and closing, each checked against the version the person saw;
- `data_protection`: anonymising after retention, subject access and erasure;
- `reminders`: what coordinators are told when nobody else will act;
- `records`: the timeline and audit entries that every change writes.
"""

from .data_protection import (
    anonymise,
    anonymise_due_requests,
    erase_resident,
    subject_access_export,
    subject_access_export_of,
)
from .intake import IntakeAnswers, confirmation_text, submit_request
from .records import SUBJECT, record_viewed
from .reminders import remind_about_waiting_requests, tell_coordinators_of_an_offer
from .workflow import (
    CLOSED_MESSAGE,
    STALE_MESSAGE,
    add_note,
    assign,
    book_session_place,
    close,
    flag_safeguarding,
    record_champion_answer,
    record_contact,
    route,
    triage,
    withdraw,
)

__all__ = [
    "CLOSED_MESSAGE",
    "STALE_MESSAGE",
    "SUBJECT",
    "IntakeAnswers",
    "add_note",
    "anonymise",
    "anonymise_due_requests",
    "assign",
    "book_session_place",
    "close",
    "confirmation_text",
    "erase_resident",
    "flag_safeguarding",
    "record_champion_answer",
    "record_contact",
    "record_viewed",
    "remind_about_waiting_requests",
    "route",
    "subject_access_export",
    "subject_access_export_of",
    "submit_request",
    "tell_coordinators_of_an_offer",
    "triage",
    "withdraw",
]
