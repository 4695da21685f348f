"""Every change to a help request goes through here: each one checks the
version the person was looking at (so two coordinators never silently
overwrite each other), writes a timeline entry and an audit entry, and sends
email only after commit."""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.accounts.rules import is_champion
from fingerpost.core import audit
from fingerpost.core.errors import Conflict, Invalid, Stale
from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import AuditAction
from fingerpost.core.sms import enqueue_sms
from fingerpost.core.text import email_address, phone_number
from fingerpost.events import services as events_services
from fingerpost.events.models import ACTIVE_STATUSES, Booking, BookingStatus, Event
from fingerpost.organisations.models import Organisation, OrganisationKind
from fingerpost.organisations.queries import people_with_role

from .models import (
    Channel,
    HelpRequest,
    HelpRequestNeed,
    Outcome,
    Priority,
    ReferralSource,
    Status,
    TimelineEntry,
    TimelineKind,
    WaitingReminder,
)

logger = logging.getLogger(__name__)
SUBJECT = "help_request"
# Bookings made by the help desk carry this key, so erasure can find them all.
BOOKING_KEY_PREFIX = "helpdesk:"


# A UK postcode or just its district: "DT1 1AA", "DT11", "BH15 2".
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)(?:\s*[0-9][A-Z]{0,2})?$")


STALE_MESSAGE = (
    "Someone else changed this request while you were looking at it. "
    "Check their changes below, then make yours again."
)
# A closed request (or one whose personal data was removed) takes only notes.
CLOSED_MESSAGE = "This request is closed, so it cannot be changed. You can still add a note"
NO_CONSENT_MESSAGE = "The resident has not agreed to share their details with a volunteer"


@dataclass
class IntakeAnswers:
    needs: list[str]
    what_they_want: str = ""
    has_device: str = ""
    has_internet: str = ""
    help_modes: list[str] = field(default_factory=list)
    name: str = ""
    phone: str = ""
    email: str = ""
    postcode_or_town: str = ""
    languages: str = ""
    access_needs: str = ""
    consent_to_share: bool = False
    referral_source: str = ReferralSource.SELF


def default_organisation() -> Organisation:
    """Who handles requests nobody has routed yet: the configured organisation,
    or the library service."""
    slug = settings.FINGERPOST_HELPDESK_ORGANISATION
    organisations = Organisation.objects.all()
    if slug:
        return organisations.get(slug=slug)
    handler = (
        organisations.filter(kind=OrganisationKind.LIBRARY, parent__isnull=True).first()
        or organisations.order_by("pk").first()
    )
    if handler is None:
        raise Invalid("No organisation is set up to handle requests for help yet")
    return handler


def submit_request(
    *,
    answers: IntakeAnswers,
    channel: str = Channel.ONLINE,
    recorded_by: User | None = None,
    referred_by: User | None = None,
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> HelpRequest:
    if not answers.needs:
        raise Invalid("Choose what you would like help with", field="needs")
    phone = phone_number(answers.phone)
    email = email_address(answers.email) if answers.email.strip() else ""
    if not (phone or email):
        raise Invalid(
            "Give a phone number or an email address so we can contact you", field="phone"
        )
    if phone and len(phone.lstrip("+")) < 10:
        raise Invalid("Enter a phone number, like 01305 123456 or 07700 900982", field="phone")
    if referred_by is not None and not answers.consent_to_share:
        raise Invalid("Record that the resident agreed to be referred", field="consent_to_share")
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.create(
            organisation=organisation or default_organisation(),
            channel=channel,
            referral_source=answers.referral_source,
            referred_by=referred_by,
            recorded_by=recorded_by or referred_by,
            what_they_want=answers.what_they_want.strip(),
            has_device=answers.has_device,
            has_internet=answers.has_internet,
            help_modes=list(answers.help_modes),
            name=answers.name.strip(),
            phone=phone,
            email=email,
            postcode_or_town=answers.postcode_or_town.strip(),
            area=_area_from(answers.postcode_or_town),
            languages=answers.languages.strip(),
            access_needs=answers.access_needs.strip(),
            consent_to_share=answers.consent_to_share,
            created_at=now,
        )
        HelpRequestNeed.objects.bulk_create(
            HelpRequestNeed(request=request, need=need) for need in dict.fromkeys(answers.needs)
        )
        who = (
            "online"
            if recorded_by is None and referred_by is None
            else f"by {recorded_by or referred_by}"
        )
        _timeline(
            request,
            actor=recorded_by or referred_by,
            kind=TimelineKind.CREATED,
            detail=f"Request made {who} ({request.get_channel_display().lower()})",
        )
        audit.record(
            actor=recorded_by or referred_by,
            action=AuditAction.CREATE,
            subject_type=SUBJECT,
            reference=request.reference,
        )
        _confirm(request)
    return request


def _area_from(postcode_or_town: str) -> str:
    """A coarse area for statistics that survives anonymisation: the postcode
    district (e.g. "DT1") or a town's name, never a house or street."""
    text = " ".join(postcode_or_town.split())
    if not text:
        return ""
    district = POSTCODE.match(text.upper())
    if district:
        return district.group(1)
    # "Rose Cottage, Mill Lane, Cerne Abbas": the town comes last.
    town = text.split(",")[-1].strip()
    if not town or any(ch.isdigit() for ch in town) or len(town.split()) > 3:
        return ""
    return town.title()[:100]


def _timeline(
    request: HelpRequest,
    *,
    actor: User | None,
    kind: str,
    detail: str = "",
    restricted: bool = False,
) -> None:
    TimelineEntry.objects.create(
        request=request, actor=actor, kind=kind, detail=detail, restricted=restricted
    )


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
        _timeline(
            request,
            actor=by,
            kind=TimelineKind.STATUS,
            detail=f"{Status(before).label} to {request.get_status_display()}",
        )
    return request


def _audit_change(request: HelpRequest, *, by: User | None, detail: str) -> None:
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        subject_type=SUBJECT,
        reference=request.reference,
        detail=detail,
    )


def _resident_context(request: HelpRequest) -> dict[str, Any]:
    base = settings.FINGERPOST_SITE_URL.rstrip("/")
    return {
        "request": request,
        "status_url": f"{base}{reverse('helpdesk_public:status', args=[request.token])}",
        "service_name": settings.FINGERPOST_SERVICE_NAME,
        "contact_phone": settings.FINGERPOST_CONTACT_PHONE,
    }


def _email_resident(request: HelpRequest, template: str) -> None:
    enqueue_email(
        subject=f"Your request for digital help: {request.reference}",
        body=render_to_string(f"helpdesk/email/{template}.txt", _resident_context(request)),
        to=[request.email],
    )


def confirmation_text(request: HelpRequest) -> str:
    """The confirmation as a text message: sent to residents who gave a mobile
    number but no email, and shown to staff to read out or send."""
    return render_to_string("helpdesk/sms/confirmation.txt", _resident_context(request)).strip()


def _confirm(request: HelpRequest) -> None:
    """Confirm by email, or by text when the resident gave only a mobile number."""
    if request.email:
        _email_resident(request, "confirmation")
    else:
        enqueue_sms(to=request.phone, body=confirmation_text(request))


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
        changes: dict[str, Any] = {"priority": priority}
        if request.status == Status.NEW:
            changes["status"] = Status.TRIAGED
        request = _bump(request, expected_version, by=by, **changes)
        HelpRequestNeed.objects.filter(request=request).exclude(need__in=needs).delete()
        HelpRequestNeed.objects.bulk_create(
            [HelpRequestNeed(request=request, need=n) for n in needs], ignore_conflicts=True
        )
        _timeline(
            request,
            actor=by,
            kind=TimelineKind.PRIORITY,
            detail=f"Priority {request.get_priority_display().lower()}",
        )
        _timeline(request, actor=by, kind=TimelineKind.NEEDS, detail=", ".join(needs))
        _audit_change(request, by=by, detail="triaged")
    return request


def assign(*, request: HelpRequest, by: User, expected_version: int, champion: User) -> HelpRequest:
    if not is_champion(champion):
        raise Invalid("Choose an active digital champion", field="champion")
    if not request.consent_to_share:
        raise Invalid(NO_CONSENT_MESSAGE)
    with transaction.atomic():
        request = _bump(
            request, expected_version, by=by, assigned_to=champion, status=Status.ASSIGNED
        )
        _timeline(request, actor=by, kind=TimelineKind.ASSIGNED, detail=f"Assigned to {champion}")
        _audit_change(request, by=by, detail=f"assigned to {champion.email}")
        enqueue_email(
            subject=f"A request for digital help has been assigned to you: {request.reference}",
            body=render_to_string(
                "helpdesk/email/assigned.txt",
                {"request": request, "site_url": settings.FINGERPOST_SITE_URL},
            ),
            to=[champion.email],
        )
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
        _timeline(
            request, actor=by, kind=TimelineKind.ROUTED, detail=f"{labels[kind]} {detail.strip()}"
        )
        _audit_change(request, by=by, detail=f"routed: {kind}")
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
        # Each attempt has its own key (a place cancelled earlier can be booked
        # again); the version check above already stops a double submit.
        earlier = Booking.objects.filter(
            idempotency_key__startswith=f"{BOOKING_KEY_PREFIX}{request.reference}:{event.pk}:"
        )
        still_held = earlier.filter(status__in=ACTIVE_STATUSES).first()
        if still_held is not None:
            return still_held
        attempt = earlier.count()
        result = events_services.book_places(
            event_id=event.pk,
            name=request.name,
            email=request.email,
            idempotency_key=f"{BOOKING_KEY_PREFIX}{request.reference}:{event.pk}:{attempt + 1}",
            email_optional=True,
        )
        booking = result.booking
        HelpRequest.objects.filter(pk=request.pk).update(event_booking=booking)
        request.event_booking = booking
        when = date_format(timezone.localtime(event.starts_at), "j M Y, H:i")
        if booking.status == BookingStatus.WAITING:
            position = events_services.waiting_position(booking)
            detail = (
                f"On the waiting list for {event.title}, {when} (number {position}). "
                f"Booking {booking.reference}."
            )
        else:
            detail = f"Place booked at {event.title}, {when}. Booking {booking.reference}."
        _timeline(request, actor=by, kind=TimelineKind.BOOKED, detail=detail)
        _audit_change(request, by=by, detail=f"booked at event {event.pk}: {booking.reference}")
    return booking


def _under_way(request: HelpRequest) -> dict[str, Any]:
    """Routing a new or triaged request puts it in progress."""
    if request.status in {Status.NEW, Status.TRIAGED}:
        return {"status": Status.IN_PROGRESS}
    return {}


def add_note(*, request: HelpRequest, by: User, text: str, restricted: bool = False) -> None:
    if not text.strip():
        raise Invalid("Enter a note", field="text")
    with transaction.atomic():
        HelpRequest.objects.filter(pk=request.pk).update(updated_at=timezone.now())
        _timeline(
            request,
            actor=by,
            kind=TimelineKind.NOTE,
            detail=text.strip()[:5000],
            restricted=restricted or request.safeguarding_concern,
        )
        _audit_change(request, by=by, detail="note added")


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
        _timeline(
            request,
            actor=by,
            kind=TimelineKind.CONTACT,
            detail=("Reached the resident" if reached else "Tried to contact, no answer")
            + (f": {note.strip()}" if note.strip() else ""),
        )
        _audit_change(request, by=by, detail="contact attempt")
    return request


def contact_attempts(request: HelpRequest) -> int:
    return request.timeline.filter(kind=TimelineKind.CONTACT).count()


def flag_safeguarding(
    *, request: HelpRequest, by: User, expected_version: int, detail: str
) -> HelpRequest:
    if not detail.strip():
        raise Invalid("Describe the concern", field="detail")
    with transaction.atomic():
        request = _bump(
            request, expected_version, by=by, safeguarding_concern=True, priority=Priority.URGENT
        )
        _timeline(
            request,
            actor=by,
            kind=TimelineKind.SAFEGUARDING,
            detail=detail.strip(),
            restricted=True,
        )
        _audit_change(request, by=by, detail="safeguarding concern flagged")
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
        and contact_attempts(request) < settings.FINGERPOST_HELPDESK_CONTACT_TRIES
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
        _timeline(
            request,
            actor=by,
            kind=TimelineKind.CLOSED,
            detail=f"{request.get_outcome_display()}"
            + (f": {detail.strip()}" if detail.strip() else ""),
        )
        _audit_change(request, by=by, detail=f"closed: {outcome}")
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
        _timeline(request, actor=None, kind=TimelineKind.WITHDRAWN)
        _audit_change(request, by=None, detail="withdrawn by the resident")
    return request


# ---------------------------------------------------------------- data protection


PERSONAL_FIELDS = {
    "name": "",
    "phone": "",
    "email": "",
    "postcode_or_town": "",
    "languages": "",
    "access_needs": "",
    "what_they_want": "",
    "outcome_detail": "",
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
        # Places the help desk booked for the resident go too.
        Booking.objects.filter(
            idempotency_key__startswith=f"{BOOKING_KEY_PREFIX}{request.reference}:"
        ).update(name="Removed", email="", answers={})
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
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_HELPDESK_RETENTION_DAYS)
    due = HelpRequest.objects.filter(
        status=Status.CLOSED, closed_at__lt=cutoff, anonymised_at__isnull=True
    )
    count = 0
    for request in due.iterator():
        anonymise(request=request)
        count += 1
    return count


def requests_about_resident(*, email: str = "", phone: str = "") -> list[HelpRequest]:
    email = email.strip().lower()
    phone = phone_number(phone)
    if not email and not phone:
        raise Invalid("Enter the resident's email address or phone number")
    query = Q()
    if email:
        query |= Q(email=email)
    if phone:
        query |= Q(phone=phone)
    return list(
        HelpRequest.objects.filter(query)
        .select_related("assigned_to")
        .prefetch_related("needs", "timeline")
        .order_by("created_at")
    )


def subject_access_export(*, by: User, email: str = "", phone: str = "") -> dict[str, Any]:
    """Everything held about one resident, for a subject access request."""
    requests = requests_about_resident(email=email, phone=phone)
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


def _everything_about(request: HelpRequest) -> dict[str, Any]:
    """One request as a subject access export: every field, in plain words."""
    r = request
    bookings = Booking.objects.filter(
        idempotency_key__startswith=f"{BOOKING_KEY_PREFIX}{r.reference}:"
    ).select_related("event")
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
    requests = requests_about_resident(email=email, phone=phone)
    for request in requests:
        anonymise(request=request, by=by, erase=True)
    return len(requests)


# ---------------------------------------------------------------- reminders


def remind_about_waiting_requests(*, now: datetime | None = None) -> int:
    """Email the coordinators of each organisation about requests nobody has
    contacted in time. One email per organisation per day at most."""
    from django.db import IntegrityError

    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS)
    overdue = (
        HelpRequest.objects.filter(first_contact_at__isnull=True, created_at__lt=cutoff)
        .exclude(status=Status.CLOSED)
        .values_list("organisation_id", "reference")
    )
    by_organisation: dict[int, list[str]] = {}
    for organisation_id, reference in overdue:
        by_organisation.setdefault(organisation_id, []).append(reference)
    sent = 0
    for organisation_id, references in by_organisation.items():
        coordinators = _coordinator_emails(organisation_id)
        if not coordinators:
            logger.warning(
                "%d requests for digital help are waiting but organisation %d has no coordinator",
                len(references),
                organisation_id,
            )
            continue
        try:
            with transaction.atomic():
                WaitingReminder.objects.create(organisation_id=organisation_id, day=now.date())
        except IntegrityError:
            continue  # already reminded today
        enqueue_email(
            subject=(
                f"{len(references)} request{'' if len(references) == 1 else 's'} for digital help "
                f"{'is' if len(references) == 1 else 'are'} waiting for first contact"
            ),
            body=render_to_string(
                "helpdesk/email/waiting_reminder.txt",
                {
                    "references": references,
                    "site_url": settings.FINGERPOST_SITE_URL,
                    "hours": settings.FINGERPOST_HELPDESK_FIRST_CONTACT_HOURS,
                },
            ),
            to=coordinators,
        )
        sent += 1
    return sent


def _coordinator_emails(organisation_id: int) -> list[str]:
    """The coordinators who see an organisation's requests: its own and its parent's."""
    return list(
        people_with_role(Role.COORDINATOR, organisation_id=organisation_id).values_list(
            "email", flat=True
        )
    )


def tell_coordinators_of_an_offer(*, booking: Booking) -> bool:
    """A place came free for a resident the help desk booked without email:
    nobody else will tell them, so the coordinators are asked to call."""
    key = booking.idempotency_key or ""
    if booking.email or not key.startswith(BOOKING_KEY_PREFIX):
        return False
    reference = key.removeprefix(BOOKING_KEY_PREFIX).split(":")[0]
    request = HelpRequest.objects.filter(reference=reference, anonymised_at__isnull=True).first()
    if request is None:
        return False
    event = booking.event
    until = date_format(timezone.localtime(booking.offer_expires_at), "j M Y, H:i")
    _timeline(
        request,
        actor=None,
        kind=TimelineKind.BOOKED,
        detail=f"A place at {event.title} is free for the resident until {until}. "
        f"Call them; if they want it, claim it from booking {booking.reference}.",
    )
    base = settings.FINGERPOST_SITE_URL.rstrip("/")
    coordinators = _coordinator_emails(request.organisation_id)
    if coordinators:
        enqueue_email(
            subject=f"Call a resident: a place is free at {event.title}",
            body=render_to_string(
                "helpdesk/email/place_offered.txt",
                {
                    "request": request,
                    "event": event,
                    "booking": booking,
                    "until": until,
                    "request_url": base + request.get_absolute_url(),
                    "manage_url": base + booking.get_manage_url(),
                },
            ),
            to=coordinators,
        )
    return True
