"""Where the help desk keeps residents' personal data, for subject access and
erasure (registered with core.registry.add_personal_data). Records are found
by email OR phone; staff confirm which are the person's before anything is
exported or erased."""

from typing import Any

from fingerpost.accounts.models import User
from fingerpost.core.registry import PersonalRecord
from fingerpost.core.text import phone_number

from . import queries, services
from .models import HelpRequest


class HelpRequestRecords:
    name = "helpdesk.requests"
    label = "Requests for digital help"

    def find(self, *, email: str, phone: str) -> list[PersonalRecord]:
        found = queries.requests_about_resident(email=email, phone=phone)
        email = email.strip().lower()
        phone = phone_number(phone) if phone.strip() else ""
        return [
            PersonalRecord(
                source=self.name,
                key=r.reference,
                title=f"{r.name or 'No name'}, request {r.reference}",
                summary=f"Made {r.created_at:%d %b %Y}, {r.get_status_display().lower()}; "
                f"email {r.email or 'none'}, phone {r.phone or 'none'}, {r.area or 'no area'}",
                matched_on=" and ".join(
                    what
                    for what, hit in (
                        ("email", bool(email) and r.email == email),
                        ("phone", bool(phone) and r.phone == phone),
                    )
                    if hit
                )
                or "phone",
            )
            for r in found
        ]

    def export(self, *, keys: list[str], by: User) -> list[dict[str, Any]]:
        return services.subject_access_export_of(references=keys, by=by)

    def erase(self, *, keys: list[str], by: User) -> int:
        count = 0
        for request in HelpRequest.objects.filter(reference__in=keys, anonymised_at__isnull=True):
            services.anonymise(request=request, by=by, erase=True)
            count += 1
        return count
