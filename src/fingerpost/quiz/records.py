"""Who did what in the quiz, in the shared audit log: the kind of action,
and in `detail` what exactly ("quiz.copied from quiz 3")."""

from __future__ import annotations

from typing import Any

from fingerpost.core import audit
from fingerpost.core.models import AuditAction


def record(*, actor: Any, action: str, subject_type: str, reference: str, detail: str = "") -> None:
    if action.endswith(("_created", "_started", ".created", ".copied")):
        kind = AuditAction.CREATE
    elif action.endswith("_downloaded"):
        kind = AuditAction.EXPORT
    else:
        kind = AuditAction.CHANGE
    audit.record(
        actor=actor,
        action=kind,
        subject_type=subject_type,
        reference=reference,
        detail=f"{action} {detail}".strip(),
    )
