"""Where lending keeps residents' personal data, for subject access and
erasure (registered with core.registry.add_personal_data)."""

from __future__ import annotations

from typing import Any

from fingerpost.accounts.models import User
from fingerpost.core.errors import Conflict
from fingerpost.core.registry import PersonalRecord
from fingerpost.core.text import email_address, phone_number

from . import queries, services
from .models import Borrower, LoanStatus


class BorrowerRecords:
    name = "lending.borrowers"
    label = "Device lending"

    def find(self, *, email: str, phone: str) -> list[PersonalRecord]:
        email = email_address(email) if email.strip() else ""
        phone = phone_number(phone) if phone.strip() else ""
        records = []
        for borrower in queries.borrowers_matching(email=email, phone=phone):
            loans = queries.borrower_loans(borrower)
            on_loan = [loan for loan in loans if loan.status == LoanStatus.ACTIVE]
            summary = f"Borrower {borrower.reference} at {borrower.branch.name}, {len(loans)} loans"
            if on_loan:
                summary += "; has a device on loan, so it cannot be erased until it is returned"
            records.append(
                PersonalRecord(
                    source=self.name,
                    key=borrower.reference,
                    title=borrower.name,
                    summary=summary,
                    matched_on="email" if email and borrower.email == email else "phone",
                )
            )
        return records

    def export(self, *, keys: list[str], by: User) -> list[dict[str, Any]]:
        exported = []
        for borrower in Borrower.objects.filter(reference__in=keys, anonymised_at__isnull=True):
            services.record_viewed(borrower=borrower, by=by, detail="subject access export")
            exported.append(
                {
                    "reference": borrower.reference,
                    "name": borrower.name,
                    "email": borrower.email,
                    "phone": borrower.phone,
                    "library card": borrower.library_card,
                    "address": borrower.address,
                    "referred by": borrower.referral,
                    "registered": borrower.created_at.isoformat(),
                    "loans": [
                        {
                            "device": f"{loan.device.get_kind_display()} {loan.device.asset_tag}",
                            "lent": loan.issued_at.isoformat(),
                            "due": loan.due_on.isoformat(),
                            "status": loan.get_status_display(),
                            "returned": loan.returned_at.isoformat() if loan.returned_at else "",
                            "agreement": loan.get_agreement_display(),
                        }
                        for loan in queries.borrower_loans(borrower)
                    ],
                    "holds": [
                        {
                            "type": hold.get_kind_display(),
                            "branch": hold.branch.name,
                            "placed": hold.created_at.isoformat(),
                            "status": hold.get_status_display(),
                        }
                        for hold in queries.borrower_holds(borrower)
                    ],
                }
            )
        return exported

    def erase(self, *, keys: list[str], by: User) -> int:
        """Borrowers with a device still on loan are left until it is back."""
        erased = 0
        for borrower in Borrower.objects.filter(reference__in=keys, anonymised_at__isnull=True):
            try:
                services.anonymise_borrower(borrower=borrower, by=by, erase=True)
            except Conflict:
                continue
            erased += 1
        return erased
