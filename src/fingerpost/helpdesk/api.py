"""Help-desk API: partner systems create requests; the people who made a
referral read its status; coordinators list, read, triage and assign; whoever
may work on a request (its coordinators, its champion) records contact, adds
notes and closes it. Same scopes, services and audit as the web pages."""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from fingerpost.accounts.models import User
from fingerpost.core import limits
from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_common import BoundedLimitOffsetPagination, ErrorOut, api_user
from fingerpost.core.errors import Invalid, NotFound
from fingerpost.core.free_times import Day, DayPart

from . import queries, services
from .models import Answer, Channel, HelpMode, HelpRequest, Need, Priority
from .models import Status as RequestStatus

router = Router(tags=["help requests"], auth=token_or_session_auth)


class RequestIn(Schema):
    needs: list[Need] = Field(..., min_length=1, max_length=len(Need.values))
    name: str = Field(..., max_length=150)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    postcode_or_town: str = Field(..., max_length=100)
    what_they_want: str = Field("", max_length=1000)
    has_device: Answer | Literal[""] = ""
    has_internet: Answer | Literal[""] = ""
    help_modes: list[HelpMode] = Field(default_factory=list, max_length=len(HelpMode.values))
    free_days: list[Day] = Field(
        default_factory=list,
        max_length=len(Day.values),
        description='Days the resident is usually free (optional), such as "tue"',
    )
    free_parts: list[DayPart] = Field(
        default_factory=list,
        max_length=len(DayPart.values),
        description="Parts of the day they are usually free (optional): "
        "morning, afternoon, evening. Days alone mean any time that day; parts "
        "alone, that part of any day.",
    )
    languages: str = Field("", max_length=200)
    access_needs: str = Field("", max_length=1000)
    consent_to_share: bool


class StatusOut(Schema):
    reference: str
    status: str
    outcome: str


class QueueItemOut(Schema):
    reference: str
    status: str
    priority: int
    needs: list[str]
    area: str
    created_at: datetime
    first_contact_at: datetime | None
    assigned_to: str | None

    @staticmethod
    def resolve_needs(obj: HelpRequest) -> list[str]:
        return [n.need for n in obj.needs.all()]

    @staticmethod
    def resolve_assigned_to(obj: HelpRequest) -> str | None:
        return obj.assigned_to.email if obj.assigned_to else None


class TriageIn(Schema):
    version: int
    priority: Priority
    needs: list[Need] = Field(..., min_length=1, max_length=len(Need.values))


class TriageOut(Schema):
    reference: str
    status: str
    priority: int
    version: int


class RequestOut(QueueItemOut):
    """One request, for those who may see the resident's details."""

    version: int
    what_they_want: str
    name: str
    phone: str
    email: str
    postcode_or_town: str
    help_modes: list[str]
    free_days: list[str]
    free_parts: list[str]
    languages: str
    access_needs: str
    safeguarding_concern: bool
    outcome: str
    closed_at: datetime | None


class AssignIn(Schema):
    version: int
    champion: str = Field(..., max_length=254, description="The champion's email address")


class ContactIn(Schema):
    version: int
    reached: bool
    note: str = Field("", max_length=2000)


class CloseIn(Schema):
    version: int
    outcome: Literal["helped", "signposted", "no_contact", "declined", "referred"]
    detail: str = Field("", max_length=2000)


class NoteIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


CHANGE_RESPONSES = {200: RequestOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("/", response={201: StatusOut, 422: ErrorOut})
def create_request(request: HttpRequest, payload: RequestIn) -> Status[HelpRequest]:
    """Refer a resident (with their consent) from a partner's system. The
    referral's source is the referrer's organisation; any `referral_source` sent is ignored."""
    user = api_user(request, "helpdesk.refer")
    limits.check(request, "referrals", email=payload.email)
    answers = services.IntakeAnswers(**payload.dict())
    help_request = services.submit_request(answers=answers, channel=Channel.API, referred_by=user)
    return Status(201, help_request)


@router.get("/{reference}/status", response=StatusOut)
def request_status(request: HttpRequest, reference: str) -> HelpRequest:
    """Status of a request you made, or one you may see."""
    found = queries.request_status(getattr(request, "auth", None), reference)
    if found is None:
        raise NotFound("Not found")
    return found


@router.get("/", response=list[QueueItemOut])
@paginate(BoundedLimitOffsetPagination)
def list_requests(
    request: HttpRequest,
    status: RequestStatus | Literal[""] = "",
    need: Need | Literal[""] = "",
    area: str = Query("", max_length=100),
) -> QuerySet[HelpRequest]:
    """The triage queue (coordinators)."""
    user = api_user(request, "helpdesk.triage")
    return queries.queue(user, status=status, need=need, area=area)


@router.patch("/{reference}", response={200: TriageOut, 409: ErrorOut, 422: ErrorOut})
def triage_request(request: HttpRequest, reference: str, payload: TriageIn) -> HelpRequest:
    """Set priority and confirmed needs. `version` must be the one you read."""
    user = api_user(request, "helpdesk.triage")
    help_request = get_object_or_404(queries.records_visible_to(user), reference=reference)
    return services.triage(
        request=help_request,
        by=user,
        expected_version=payload.version,
        priority=payload.priority,
        needs=payload.needs,
    )


def _visible(request: HttpRequest, reference: str) -> tuple[User, HelpRequest]:
    """The caller and a request whose details they may see; 404 for anyone else."""
    user = api_user(request)
    return user, get_object_or_404(queries.records_visible_to(user), reference=reference)


def _read(user: User, reference: str) -> HelpRequest:
    """The request as it is now, for the caller; audited like the web page."""
    help_request = get_object_or_404(queries.records_visible_to(user), reference=reference)
    services.record_viewed(help_request, by=user, via="api")
    return help_request


@router.get("/{reference}", response={200: RequestOut, 403: ErrorOut, 404: ErrorOut})
def read_request(request: HttpRequest, reference: str) -> HelpRequest:
    """One request with the resident's details (audited like the web page)."""
    user, help_request = _visible(request, reference)
    return _read(user, help_request.reference)


@router.post("/{reference}/assign", response=CHANGE_RESPONSES)
def assign_request(request: HttpRequest, reference: str, payload: AssignIn) -> HelpRequest:
    """Assign to a digital champion (coordinators)."""
    user = api_user(request, "helpdesk.triage")
    _, help_request = _visible(request, reference)
    champion = queries.person_with_email(payload.champion)
    if champion is None:
        raise Invalid("No digital champion has that email address", field="champion")
    services.assign(
        request=help_request, by=user, expected_version=payload.version, champion=champion
    )
    return _read(user, help_request.reference)


@router.post("/{reference}/contact", response=CHANGE_RESPONSES)
def record_contact(request: HttpRequest, reference: str, payload: ContactIn) -> HelpRequest:
    """Record an attempt to contact the resident, reached or not."""
    user, help_request = _visible(request, reference)
    services.record_contact(
        request=help_request,
        by=user,
        expected_version=payload.version,
        reached=payload.reached,
        note=payload.note,
    )
    return _read(user, help_request.reference)


@router.post("/{reference}/notes", response=CHANGE_RESPONSES)
def add_note(request: HttpRequest, reference: str, payload: NoteIn) -> HelpRequest:
    """Add a note to the timeline (also on a closed request)."""
    user, help_request = _visible(request, reference)
    services.add_note(request=help_request, by=user, text=payload.text)
    return _read(user, help_request.reference)


@router.post("/{reference}/close", response=CHANGE_RESPONSES)
def close_request(request: HttpRequest, reference: str, payload: CloseIn) -> HelpRequest:
    """Close with an outcome; "helped" needs `detail`: what the resident can now do."""
    user, help_request = _visible(request, reference)
    services.close(
        request=help_request,
        by=user,
        expected_version=payload.version,
        outcome=payload.outcome,
        detail=payload.detail,
    )
    return _read(user, help_request.reference)
