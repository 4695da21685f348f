"""Help-desk API: partner systems create requests; the people who made a
referral read its status; coordinators list and triage. Same scopes and
services as the web pages."""

from datetime import datetime
from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from fingerpost.accounts.models import User
from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_paging import BoundedLimitOffsetPagination

from . import queries, services
from .models import Answer, Channel, HelpMode, HelpRequest, Need, Priority, ReferralSource
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
    languages: str = Field("", max_length=200)
    access_needs: str = Field("", max_length=1000)
    consent_to_share: bool
    referral_source: ReferralSource = ReferralSource.COUNCIL_CONTACT_CENTRE


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


def _user(request: HttpRequest, permission: str) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User) or not user.has_perm(permission):
        raise HttpError(403, "You do not have permission to do this")
    return user


@router.post("/", response={201: StatusOut})
def create_request(request: HttpRequest, payload: RequestIn) -> Status[HelpRequest]:
    """Refer a resident (with their consent) from a partner's system."""
    user = _user(request, "helpdesk.refer")
    answers = services.IntakeAnswers(**payload.dict())
    try:
        help_request = services.submit_request(
            answers=answers, channel=Channel.API, referred_by=user
        )
    except services.HelpdeskError as error:
        raise HttpError(422, str(error)) from error
    return Status(201, help_request)


@router.get("/{reference}/status", response=StatusOut)
def request_status(request: HttpRequest, reference: str) -> HelpRequest:
    """Status of a request you made, or one you may see."""
    user = getattr(request, "auth", None)
    for scope in (queries.requests_visible_to(user), queries.referrals_made_by(user)):
        found = scope.filter(reference=reference).only("reference", "status", "outcome").first()
        if found is not None:
            return found
    raise HttpError(404, "Not found")


@router.get("/", response=list[QueueItemOut])
@paginate(BoundedLimitOffsetPagination)
def list_requests(
    request: HttpRequest,
    status: RequestStatus | Literal[""] = "",
    need: Need | Literal[""] = "",
    area: str = Query("", max_length=100),
) -> QuerySet[HelpRequest]:
    """The triage queue (coordinators)."""
    user = _user(request, "helpdesk.triage")
    return queries.queue(user, status=status, need=need, area=area)


@router.patch("/{reference}", response={200: TriageOut, 409: dict, 422: dict})
def triage_request(request: HttpRequest, reference: str, payload: TriageIn) -> object:
    """Set priority and confirmed needs. `version` must be the one you read."""
    user = _user(request, "helpdesk.triage")
    help_request = get_object_or_404(
        queries.requests_visible_to(user), reference=reference, anonymised_at__isnull=True
    )
    try:
        help_request = services.triage(
            request=help_request,
            by=user,
            expected_version=payload.version,
            priority=payload.priority,
            needs=payload.needs,
        )
    except (services.StaleRequestError, services.RequestClosedError) as error:
        return Status(409, {"detail": str(error)})
    except services.HelpdeskError as error:
        return Status(422, {"detail": str(error)})
    return help_request
