"""Data protection: closed requests lose their personal data after the
retention period, and a resident's data can be exported (subject access)
and erased. Each is audited."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.core import audit, outbox
from fingerpost.core.models import AuditAction
from fingerpost.events import services as events_services

from .. import queries
from ..models import (
    HelpRequest,
    Outcome,
    Status,
    TimelineEntry,
    TimelineKind,
)
from .records import SUBJECT

PERSONAL_FIELDS = {
    "name": "",
    "phone": "",
    "email": "",
    "postcode_or_town": "",
    "languages": "",
    "access_needs": "",
    "what_they_want": "",
    "outcome_detail": "",
    "free_days": [],
    "free_parts": [],
}


# Timeline entries whose words never hold anything about the resident.
_TIMELINE_KINDS_KEPT = [
    TimelineKind.CREATED,
    TimelineKind.STATUS,
    TimelineKind.PRIORITY,
    TimelineKind.NEEDS,
    TimelineKind.ASSIGNED,
    TimelineKind.WITHDRAWN,
    TimelineKind.TRANSFERRED,
]


def anonymise(*, request: HelpRequest, by: User | None = None, erase: bool = False) -> HelpRequest:
    """Remove everything that identifies the resident; keep needs, area,
    outcome and dates for statistics. An open request is closed as withdrawn,
    since nobody can help someone whose details are gone."""
    now = timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.select_for_update().get(pk=request.pk)
        changes: dict[str, Any] = {}
        if request.status != Status.CLOSED:
            changes = {"status": Status.CLOSED, "outcome": Outcome.WITHDRAWN, "closed_at": now}
        HelpRequest.objects.filter(pk=request.pk).update(
            **PERSONAL_FIELDS, **changes, anonymised_at=now, version=F("version") + 1
        )
        TimelineEntry.objects.filter(request=request).exclude(kind__in=_TIMELINE_KINDS_KEPT).update(
            detail="(removed)"
        )
        # Places the help desk booked for the resident go too, and every
        # message about the request or those places.
        booking_references = events_services.remove_personal_details_from_bookings(
            booking_ids=queries.session_booking_ids(request), by=by
        )
        outbox.forget_messages_about(about_type=SUBJECT, references=[request.reference])
        outbox.forget_messages_about(about_type="booking", references=booking_references)
        audit.record(
            actor=by,
            action=AuditAction.ERASE if erase else AuditAction.ANONYMISE,
            subject_type=SUBJECT,
            reference=request.reference,
        )
    request.refresh_from_db()
    return request


def anonymise_due_requests(*, now: datetime | None = None) -> int:
    """Closed requests past the retention period lose their personal data."""
    count = 0
    for request in queries.requests_past_retention(now=now).iterator():
        anonymise(request=request)
        count += 1
    return count


def subject_access_export(*, by: User, email: str = "", phone: str = "") -> dict[str, Any]:
    """Everything held about one resident, for a subject access request."""
    requests = queries.requests_about_resident(email=email, phone=phone)
    for request in requests:
        audit.record(
            actor=by,
            action=AuditAction.EXPORT,
            subject_type=SUBJECT,
            reference=request.reference,
            detail="subject access export",
        )
    return {
        "generated_at": timezone.now().isoformat(),
        "requests": [_everything_about(r) for r in requests],
    }


def subject_access_export_of(*, references: list[str], by: User) -> list[dict[str, Any]]:
    """The requests staff confirmed are the person's, in full (each audited)."""
    requests = queries.requests_with_references(references)
    for request in requests:
        audit.record(
            actor=by,
            action=AuditAction.EXPORT,
            subject_type=SUBJECT,
            reference=request.reference,
            detail="subject access export",
        )
    return [_everything_about(r) for r in requests]


def _everything_about(request: HelpRequest) -> dict[str, Any]:
    """One request as a subject access export: every field, in plain words."""
    r = request
    bookings = queries.session_bookings_of(r)
    return {
        "reference": r.reference,
        "details": {
            "Made": r.created_at.isoformat(),
            "How they asked": r.get_channel_display(),
            "Referral source": r.get_referral_source_display(),
            "Name": r.name,
            "Phone": r.phone,
            "Email": r.email,
            "Postcode or town": r.postcode_or_town,
            "Area": r.area,
            "Languages": r.languages,
            "Access needs": r.access_needs,
            "What they want to be able to do": r.what_they_want,
            "Needs": ", ".join(n.get_need_display() for n in r.needs.all()),
            "Has a device": r.get_has_device_display(),
            "Has internet access": r.get_has_internet_display(),
            "Help wanted": ", ".join(r.help_mode_labels()),
            "Usually free": r.free_times_label(),
            "Agreed to share details with a volunteer": "Yes" if r.consent_to_share else "No",
            "Priority": r.get_priority_display(),
            "Status": r.get_status_display(),
            "Assigned to": r.assigned_to.full_name if r.assigned_to else "",
            "Safeguarding concern": "Yes" if r.safeguarding_concern else "No",
            "First contact": r.first_contact_at.isoformat() if r.first_contact_at else "",
            "Outcome": r.get_outcome_display() if r.outcome else "",
            "What was achieved": r.outcome_detail,
            "Closed": r.closed_at.isoformat() if r.closed_at else "",
        },
        "sessions_booked": [
            {
                "reference": b.reference,
                "event": b.event.title,
                "starts_at": b.event.starts_at.isoformat() if b.event.starts_at else "",
                "status": b.get_status_display(),
            }
            for b in bookings
        ],
        "timeline": [
            {
                "at": t.at.isoformat(),
                "what": t.get_kind_display(),
                "detail": t.detail,
                # Restricted safeguarding notes: check before disclosing them.
                "restricted": t.restricted,
            }
            for t in r.timeline.all()
        ],
    }


def erase_resident(*, by: User, email: str = "", phone: str = "") -> int:
    requests = queries.requests_about_resident(email=email, phone=phone)
    for request in requests:
        anonymise(request=request, by=by, erase=True)
    return len(requests)
