"""Asking for help: a resident online, a coordinator taking a request by
phone or at the counter, a partner's referral (web or API). The resident
hears back by email, or by text when they gave only a mobile number."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.core import audit, free_times
from fingerpost.core.errors import Invalid
from fingerpost.core.mail import enqueue_email
from fingerpost.core.models import AuditAction
from fingerpost.core.sms import enqueue_sms
from fingerpost.core.text import email_address, phone_number
from fingerpost.organisations import queries as organisation_queries
from fingerpost.organisations.models import Organisation, OrganisationKind
from fingerpost.organisations.queries import area_for

from .. import queries
from ..models import (
    Channel,
    HelpRequest,
    HelpRequestNeed,
    ReferralSource,
    TimelineKind,
    need_mask,
)
from .records import SUBJECT, about, add_to_timeline

# A referral comes from the referrer's organisation, whatever a form or API
# body says, so nobody can make their referral look like another partner's.
REFERRAL_SOURCE_BY_KIND: dict[str, str] = {
    OrganisationKind.LIBRARY: ReferralSource.LIBRARY,
    OrganisationKind.COUNCIL: ReferralSource.COUNCIL_CONTACT_CENTRE,
    OrganisationKind.HEALTH: ReferralSource.HEALTH,
    OrganisationKind.VOLUNTARY: ReferralSource.VOLUNTARY_GROUP,
}


def referral_source_of(referrer: User) -> str:
    organisation = organisation_queries.first_verified_organisation(referrer)
    if organisation is None:
        return ReferralSource.OTHER
    return REFERRAL_SOURCE_BY_KIND.get(organisation.kind, ReferralSource.OTHER)


# A UK postcode or just its district: "DT1 1AA", "DT11", "BH15 2".
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)(?:\s*[0-9][A-Z]{0,2})?$")


@dataclass
class IntakeAnswers:
    needs: list[str]
    what_they_want: str = ""
    has_device: str = ""
    has_internet: str = ""
    help_modes: list[str] = field(default_factory=list)
    # When the resident is usually free (optional): days and parts of the day.
    free_days: list[str] = field(default_factory=list)
    free_parts: list[str] = field(default_factory=list)
    name: str = ""
    phone: str = ""
    email: str = ""
    postcode_or_town: str = ""
    languages: str = ""
    access_needs: str = ""
    consent_to_share: bool = False
    referral_source: str = ReferralSource.SELF


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
    unknown = [v for v in answers.free_days if v not in free_times.DAYS] + [
        v for v in answers.free_parts if v not in free_times.PARTS
    ]
    if unknown:
        raise Invalid(
            "Choose days of the week and morning, afternoon or evening", field="free_days"
        )
    now = now or timezone.now()
    with transaction.atomic():
        request = HelpRequest.objects.create(
            organisation=organisation or queries.default_organisation(),
            channel=channel,
            referral_source=(
                referral_source_of(referred_by)
                if referred_by is not None
                else answers.referral_source
            ),
            referred_by=referred_by,
            recorded_by=recorded_by or referred_by,
            what_they_want=answers.what_they_want.strip(),
            has_device=answers.has_device,
            has_internet=answers.has_internet,
            help_modes=list(answers.help_modes),
            need_bits=need_mask(answers.needs),
            free_days=free_times.in_order(answers.free_days, free_times.DAYS),
            free_parts=free_times.in_order(answers.free_parts, free_times.PARTS),
            name=answers.name.strip(),
            phone=phone,
            email=email,
            postcode_or_town=answers.postcode_or_town.strip(),
            area=area_from(answers.postcode_or_town),
            town=area_for(answers.postcode_or_town),
            languages=answers.languages.strip(),
            access_needs=answers.access_needs.strip(),
            consent_to_share=answers.consent_to_share,
            created_at=now,
        )
        HelpRequestNeed.objects.bulk_create(
            HelpRequestNeed(request=request, need=need) for need in dict.fromkeys(answers.needs)
        )
        add_to_timeline(
            request,
            actor=recorded_by or referred_by,
            kind=TimelineKind.CREATED,
            detail=_how_it_came(request, recorded_by or referred_by),
        )
        audit.record(
            actor=recorded_by or referred_by,
            action=AuditAction.CREATE,
            subject_type=SUBJECT,
            reference=request.reference,
        )
        _confirm(request)
    return request


def _how_it_came(request: HelpRequest, by: User | None) -> str:
    """How the request arrived, in words: "Asked online", "Taken by phone by
    Callum Coordinator", "Referred by Mia Member"."""
    name = (by.full_name or by.email) if by is not None else ""
    if request.channel == Channel.ONLINE and by is None:
        return "Asked online by the resident"
    if request.channel == Channel.API:
        return "Sent from a partner's system"
    if request.channel == Channel.REFERRAL or request.referred_by_id:
        return f"Referred by {name}" if name else "Referred by partner staff"
    how = {Channel.PHONE: "Taken by phone", Channel.COUNTER: "Taken in person"}.get(
        Channel(request.channel), "Recorded"
    )
    return f"{how} by {name}" if name else how


def area_from(postcode_or_town: str) -> str:
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
        kind=f"helpdesk.{template}",
        about=about(request),
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
        enqueue_sms(
            to=request.phone,
            body=confirmation_text(request),
            kind="helpdesk.confirmation",
            about=about(request),
        )
