"""From triage to outcome. Every change checks the version the person was
looking at (so two coordinators never silently overwrite each other) and
that the request is still open, writes a timeline entry and an audit entry,
and sends email only after commit."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.rules import is_champion
from fingerpost.core.errors import Conflict, Invalid, Stale
from fingerpost.core.mail import enqueue_email
from fingerpost.core.text import visible_lines
from fingerpost.core.timeformat import govuk_date_time
from fingerpost.events import queries as events_queries
from fingerpost.events import services as events_services
from fingerpost.events.models import ACTIVE_STATUSES, Booking, BookingStatus, Event

from .. import queries, signals
from ..models import (
    BOOKING_KEY_PREFIX,
    HelpRequest,
    HelpRequestNeed,
    Need,
    Outcome,
    Priority,
    SessionBooking,
    Status,
    TimelineKind,
    need_mask,
)
from .records import about, add_to_timeline, audit_change

STALE_MESSAGE = (
    "Someone else changed this request while you were looking at it. "
    "Check their changes below, then make yours again."
)
# A closed request (or one whose personal data was removed) takes only notes.
CLOSED_MESSAGE = "This request is closed, so it cannot be changed. You can still add a note"
NO_CONSENT_MESSAGE = "The resident has not agreed to share their details with a volunteer"


def need_labels(needs: list[str]) -> str:
    """The needs in the words people chose them by, never their codes."""
    labels = {value: str(label) for value, label in Need.choices}
    return "; ".join(labels.get(need, need) for need in needs)


def _bump(
    request: HelpRequest, expected_version: int, *, by: User | None, **changes: Any
) -> HelpRequest:
    """Write `changes` only if nobody else has changed the request meanwhile and
    it is still open; a change of status goes on the timeline."""
    before = request.status
    updated = (
        HelpRequest.objects.filter(
            pk=request.pk, version=expected_version, anonymised_at__isnull=True
        )
        .exclude(status=Status.CLOSED)
        .update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    )
    if updated != 1:
        current = HelpRequest.objects.filter(pk=request.pk).values("status", "anonymised_at")
        row = current.first()
        if row is None or row["status"] == Status.CLOSED or row["anonymised_at"]:
            raise Conflict(CLOSED_MESSAGE)
        raise Stale(STALE_MESSAGE)
    request.refresh_from_db()
    # Closing and withdrawing write their own entry, with the outcome.
    if request.status != before and request.status != Status.CLOSED:
        add_to_timeline(
            request,
            actor=by,
            kind=TimelineKind.STATUS,
            detail=f"{Status(before).label} to {request.get_status_display()}",
        )
    return request


def triage(
    *,
    request: HelpRequest,
    by: User,
    expected_version: int,
    priority: int,
    needs: Iterable[str],
) -> HelpRequest:
    needs = list(dict.fromkeys(needs))
    if not needs:
        raise Invalid("Choose at least one need", field="needs")
    if priority not in Priority.values:
        raise Invalid("Choose a priority", field="priority")
    with transaction.atomic():
        changes: dict[str, Any] = {"priority": priority, "need_bits": need_mask(needs)}
        if request.status == Status.NEW:
            changes["status"] = Status.TRIAGED
        request = _bump(request, expected_version, by=by, **changes)
        HelpRequestNeed.objects.filter(request=request).exclude(need__in=needs).delete()
        HelpRequestNeed.objects.bulk_create(
            [HelpRequestNeed(request=request, need=n) for n in needs], ignore_conflicts=True
        )
        add_to_timeline(
            request,
            actor=by,
            kind=TimelineKind.PRIORITY,
            detail=f"Priority {request.get_priority_display().lower()}",
        )
        add_to_timeline(request, actor=by, kind=TimelineKind.NEEDS, detail=need_labels(needs))
        audit_change(request, by=by, detail="triaged")
    return request


def assign(*, request: HelpRequest, by: User, expected_version: int, champion: User) -> HelpRequest:
    if not is_champion(champion):
        raise Invalid("Choose an active digital champion", field="champion")
    if not request.consent_to_share:
        raise Invalid(NO_CONSENT_MESSAGE)
    with transaction.atomic():
        request = _bump(
            request,
            expected_version,
            by=by,
            assigned_to=champion,
            status=Status.ASSIGNED,
            assignment_accepted_at=None,
        )
        signals.assigning.send(HelpRequest, request=request, champion=champion, by=by)
        add_to_timeline(
            request, actor=by, kind=TimelineKind.ASSIGNED, detail=f"Assigned to {champion}"
        )
        audit_change(request, by=by, detail=f"assigned to {champion.email}")
        answers = signals.assigned.send(HelpRequest, request=request, champion=champion, by=by)
        if any(emailed for _, emailed in answers):
            # An offer the champion answers: they see the record once they accept.
            return request
        # Nobody asks them to accept: the assignment stands as taken on.
        HelpRequest.objects.filter(pk=request.pk).update(assignment_accepted_at=timezone.now())
        request.assignment_accepted_at = timezone.now()
        enqueue_email(
            subject=f"A request for digital help has been assigned to you: {request.reference}",
            body=render_to_string(
                "helpdesk/email/assigned.txt",
                {"request": request, "site_url": settings.FINGERPOST_SITE_URL},
            ),
            to=[champion.email],
            kind="helpdesk.assigned",
            about=about(request),
        )
    return request


def record_champion_answer(
    *, request: HelpRequest, by: User, accepted: bool, reason: str = ""
) -> HelpRequest:
    """The assigned champion accepts, or declines with a reason: a decline
    puts the request back in the queue, unassigned, with the reason on the
    timeline. Their answer stands whatever else changed meanwhile."""
    reason = reason.strip()
    if not accepted and not reason:
        raise Invalid("Say why you cannot take this request", field="reason")
    with transaction.atomic():
        request = HelpRequest.objects.select_for_update().get(pk=request.pk)
        if request.assigned_to_id != by.pk:
            raise Conflict("This request is no longer assigned to you")
        if accepted:
            request = _bump(request, request.version, by=by, assignment_accepted_at=timezone.now())
            detail = f"Accepted by {by}"
        else:
            request = _bump(
                request,
                request.version,
                by=by,
                assigned_to=None,
                assignment_accepted_at=None,
                status=Status.TRIAGED,
            )
            detail = f"Declined by {by}: {reason[:500]}. Back in the queue."
        add_to_timeline(request, actor=by, kind=TimelineKind.ASSIGNED, detail=detail)
        audit_change(request, by=by, detail="accepted" if accepted else "declined")
    return request


def route(
    *, request: HelpRequest, by: User, expected_version: int, kind: str, detail: str
) -> HelpRequest:
    """Signpost to another service or refer for a device loan: recorded on the timeline."""
    labels = {
        "signpost": "Signposted to",
        "device_loan": "Referred for a device loan:",
    }
    if kind not in labels:
        raise Invalid("Choose how to route the request", field="kind")
    if not detail.strip():
        raise Invalid("Say where the request was routed", field="detail")
    with transaction.atomic():
        request = _bump(request, expected_version, by=by, **_under_way(request))
        add_to_timeline(
            request, actor=by, kind=TimelineKind.ROUTED, detail=f"{labels[kind]} {detail.strip()}"
        )
        audit_change(request, by=by, detail=f"routed: {kind}")
    return request


def book_session_place(
    *, request: HelpRequest, by: User, expected_version: int, event: Event
) -> Booking:
    """Book the resident a place at a code club or drop-in through the events
    service, so the same allocation rules (and waiting list) apply as online."""
    if not request.consent_to_share:
        raise Invalid(NO_CONSENT_MESSAGE)
    if not request.name.strip():
        raise Invalid("Add the resident's name before booking a place")
    with transaction.atomic():
        request = _bump(request, expected_version, by=by, **_under_way(request))
        earlier = queries.session_bookings_of(request, event_id=event.pk)
        still_held = next((b for b in earlier if b.status in ACTIVE_STATUSES), None)
        if still_held is not None:
            return still_held
        # A random key of the help desk's own: nobody can guess it to book
        # first (and so quietly stop this booking) or to get its private link.
        # The version check above already stops a double submit.
        result = events_services.book_places(
            event_id=event.pk,
            name=request.name,
            email=request.email,
            idempotency_key=f"{BOOKING_KEY_PREFIX}{uuid.uuid4().hex}",
            email_optional=True,
            by=by,
        )
        booking = result.booking
        SessionBooking.objects.get_or_create(booking=booking, defaults={"request": request})
        HelpRequest.objects.filter(pk=request.pk).update(event_booking=booking)
        request.event_booking = booking
        when = govuk_date_time(event.starts_at, "j M Y")
        if booking.status == BookingStatus.WAITING:
            position = events_queries.waiting_position(booking)
            detail = (
                f"On the waiting list for {event.title}, {when} (number {position}). "
                f"Booking {booking.reference}."
            )
        else:
            detail = f"Place booked at {event.title}, {when}. Booking {booking.reference}."
        add_to_timeline(request, actor=by, kind=TimelineKind.BOOKED, detail=detail)
        audit_change(request, by=by, detail=f"booked at event {event.pk}: {booking.reference}")
    return booking


def _under_way(request: HelpRequest) -> dict[str, Any]:
    """Routing a new or triaged request puts it in progress."""
    if request.status in {Status.NEW, Status.TRIAGED}:
        return {"status": Status.IN_PROGRESS}
    return {}


def add_note(*, request: HelpRequest, by: User, text: str, restricted: bool = False) -> None:
    if not visible_lines(text):
        raise Invalid("Enter a note", field="text")
    with transaction.atomic():
        HelpRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
        add_to_timeline(
            request,
            actor=by,
            kind=TimelineKind.NOTE,
            detail=text.strip()[:5000],
            restricted=restricted or request.safeguarding_concern,
        )
        audit_change(request, by=by, detail="note added")


def record_contact(
    *, request: HelpRequest, by: User, expected_version: int, reached: bool, note: str = ""
) -> HelpRequest:
    now = timezone.now()
    with transaction.atomic():
        changes: dict[str, Any] = {}
        if reached and request.first_contact_at is None:
            changes["first_contact_at"] = now
        if reached and request.status in {Status.NEW, Status.TRIAGED, Status.ASSIGNED}:
            changes["status"] = Status.IN_PROGRESS
        request = _bump(request, expected_version, by=by, **changes)
        add_to_timeline(
            request,
            actor=by,
            kind=TimelineKind.CONTACT,
            detail=("Reached the resident" if reached else "Tried to contact, no answer")
            + (f": {note.strip()}" if note.strip() else ""),
        )
        audit_change(request, by=by, detail="contact attempt")
    return request


def flag_safeguarding(
    *, request: HelpRequest, by: User, expected_version: int, detail: str
) -> HelpRequest:
    if not detail.strip():
        raise Invalid("Describe the concern", field="detail")
    with transaction.atomic():
        request = _bump(
            request, expected_version, by=by, safeguarding_concern=True, priority=Priority.URGENT
        )
        add_to_timeline(
            request,
            actor=by,
            kind=TimelineKind.SAFEGUARDING,
            detail=detail.strip(),
            restricted=True,
        )
        audit_change(request, by=by, detail="safeguarding concern flagged")
        lead = request.organisation.safeguarding_lead
        to = [lead.email] if lead else [settings.FINGERPOST_SAFEGUARDING_EMAIL]
        # The alert carries only the reference: details stay behind sign-in.
        enqueue_email(
            subject=f"Safeguarding concern on request {request.reference}",
            body=render_to_string(
                "helpdesk/email/safeguarding.txt",
                {"request": request, "by": by, "site_url": settings.FINGERPOST_SITE_URL},
            ),
            to=to,
            kind="helpdesk.safeguarding",
            about=about(request),
        )
    return request


def close(
    *, request: HelpRequest, by: User, expected_version: int, outcome: str, detail: str = ""
) -> HelpRequest:
    if outcome not in Outcome.values or outcome == Outcome.WITHDRAWN:
        raise Invalid("Choose an outcome", field="outcome")
    if outcome == Outcome.HELPED and not detail.strip():
        raise Invalid("Say what the resident can now do", field="detail")
    if (
        outcome == Outcome.NO_CONTACT
        and queries.contact_attempts(request) < settings.FINGERPOST_HELPDESK_CONTACT_TRIES
    ):
        raise Invalid(
            f"Try to contact the resident {settings.FINGERPOST_HELPDESK_CONTACT_TRIES} times "
            "before closing with no contact",
            field="outcome",
        )
    with transaction.atomic():
        request = _bump(
            request,
            expected_version,
            by=by,
            status=Status.CLOSED,
            outcome=outcome,
            outcome_detail=detail.strip(),
            closed_at=timezone.now(),
        )
        add_to_timeline(
            request,
            actor=by,
            kind=TimelineKind.CLOSED,
            detail=f"{request.get_outcome_display()}"
            + (f": {detail.strip()}" if detail.strip() else ""),
        )
        audit_change(request, by=by, detail=f"closed: {outcome}")
    return request


def withdraw(*, request: HelpRequest) -> HelpRequest:
    """The resident withdraws through their private link."""
    with transaction.atomic():
        # The resident's wish is clear whatever staff changed meanwhile: lock
        # and withdraw the current version rather than refuse as stale.
        request = HelpRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == Status.CLOSED or request.anonymised_at:
            return request
        request = _bump(
            request,
            request.version,
            by=None,
            status=Status.CLOSED,
            outcome=Outcome.WITHDRAWN,
            closed_at=timezone.now(),
        )
        add_to_timeline(request, actor=None, kind=TimelineKind.WITHDRAWN)
        audit_change(request, by=None, detail="withdrawn by the resident")
    return request
