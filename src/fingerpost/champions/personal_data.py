"""Offers to volunteer hold the personal details of members of the public:
subject access and erasure find them (registered with
core.registry.add_personal_data)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from fingerpost.accounts.models import User
from fingerpost.core import audit
from fingerpost.core.models import AuditAction
from fingerpost.core.registry import PersonalRecord
from fingerpost.core.text import email_address, phone_number

from .models import Interest

SUBJECT = "volunteer_offer"


def _matching(email: str, phone: str) -> list[Interest]:
    email = email_address(email) if email.strip() else ""
    phone = phone_number(phone) if phone.strip() else ""
    found = []
    for offer in Interest.objects.all().order_by("created_at"):
        if (email and offer.email == email) or (phone and phone_number(offer.phone) == phone):
            found.append(offer)
    return found


class VolunteerOffers:
    name = "champions.offers"
    label = "Offers to volunteer"

    def find(self, *, email: str, phone: str) -> list[PersonalRecord]:
        wanted = email_address(email) if email.strip() else ""
        return [
            PersonalRecord(
                source=self.name,
                key=str(offer.pk),
                title=offer.name,
                summary=f"Offered to volunteer on {offer.created_at:%-d %B %Y} "
                f"({offer.get_status_display().lower()})",
                matched_on="email" if wanted and offer.email == wanted else "phone",
            )
            for offer in _matching(email, phone)
        ]

    def export(self, *, keys: list[str], by: User) -> list[dict[str, Any]]:
        offers = Interest.objects.filter(pk__in=[int(k) for k in keys if k.isdigit()])
        out = []
        for offer in offers:
            audit.record(
                actor=by,
                action=AuditAction.EXPORT,
                subject_type=SUBJECT,
                reference=str(offer.pk),
                detail="subject access export",
            )
            out.append(
                {
                    "name": offer.name,
                    "email": offer.email,
                    "phone": offer.phone,
                    "postcode or town": offer.postcode_or_town,
                    "could help with": offer.skill_labels(),
                    "languages": offer.languages,
                    "how": offer.way_labels(),
                    "when": offer.availability_labels(),
                    "anything else": offer.why,
                    "received": offer.created_at.isoformat(),
                    "status": offer.get_status_display(),
                }
            )
        return out

    def erase(self, *, keys: list[str], by: User) -> int:
        with transaction.atomic():
            offers = Interest.objects.filter(pk__in=[int(k) for k in keys if k.isdigit()])
            for offer in offers:
                audit.record(
                    actor=by,
                    action=AuditAction.ERASE,
                    subject_type=SUBJECT,
                    reference=str(offer.pk),
                    detail="offer to volunteer erased",
                )
            count, _ = offers.delete()
        return count
