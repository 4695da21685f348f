"""The audit log of residents' records: every view and change is written here."""

from typing import Any

from .inserts import insert
from .models import AuditAction, AuditEntry


def record(
    *, actor: Any, action: AuditAction | str, subject_type: str, reference: str, detail: str = ""
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return insert(
        AuditEntry(
            actor=user,
            action=action,
            subject_type=subject_type,
            subject_reference=reference,
            detail=detail[:300],
        )
    )
