"""What every change to a help request writes beside the change itself: a
timeline entry (who did what, shown on the request page) and an audit entry
(every look at, and change to, a resident's record)."""

from fingerpost.accounts.models import User
from fingerpost.core import audit
from fingerpost.core.models import AuditAction
from fingerpost.core.text import visible_lines

from ..models import HelpRequest, TimelineEntry

SUBJECT = "help_request"


def add_to_timeline(
    request: HelpRequest,
    *,
    actor: User | None,
    kind: str,
    detail: str = "",
    restricted: bool = False,
) -> None:
    # Every note and reason reaches the timeline here, from the pages and the
    # API alike: invisible characters (a right-to-left override) could make
    # an entry read as something it is not.
    TimelineEntry.objects.create(
        request=request,
        actor=actor,
        kind=kind,
        detail=visible_lines(detail),
        restricted=restricted,
    )


def audit_change(request: HelpRequest, *, by: User | None, detail: str) -> None:
    audit.record(
        actor=by,
        action=AuditAction.CHANGE,
        subject_type=SUBJECT,
        reference=request.reference,
        detail=detail,
    )


def record_viewed(request: HelpRequest, *, by: User | None, via: str = "") -> None:
    """Someone saw the resident's record (a page, a form shown again, the API)."""
    audit.record(
        actor=by,
        action=AuditAction.VIEW,
        subject_type=SUBJECT,
        reference=request.reference,
        detail=via,
    )


def about(request: HelpRequest) -> tuple[str, str]:
    """Messages about a request name it, so a failed delivery shows on its page."""
    return (SUBJECT, request.reference)
