"""Champions API: the list of champions and suggestions for a request
(coordinators), assigning, the champion's answer, logging a session (the
champion's own) and hours. Same scopes, services and audit as the pages."""

from datetime import date, datetime

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from fingerpost.accounts.models import User
from fingerpost.core.api_auth import token_or_session_auth
from fingerpost.core.api_common import BoundedLimitOffsetPagination, ErrorOut, api_user
from fingerpost.core.errors import Invalid, NotFound
from fingerpost.helpdesk import queries as helpdesk_queries

from . import matching, queries, services
from .models import Assignment, ChampionProfile, Confidence, SessionMode, Skill

router = Router(tags=["champions"], auth=token_or_session_auth)

ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Dates are ISO strings (YYYY-MM-DD), checked here: pydantic would also take a number.
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid("Enter a real date, like 2025-03-27", field=field) from None


class ChampionOut(Schema):
    id: int
    email: str
    name: str
    organisation: str
    skills: list[str]
    languages: str
    areas: list[str]
    ways: list[str]
    availability: list[str]
    max_active: int
    load: int
    paused: bool
    check_expires_on: date | None
    last_activity_at: datetime | None
    hours: float

    @staticmethod
    def resolve_id(obj: ChampionProfile) -> int:
        return obj.user_id

    @staticmethod
    def resolve_email(obj: ChampionProfile) -> str:
        return obj.user.email

    @staticmethod
    def resolve_name(obj: ChampionProfile) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_organisation(obj: ChampionProfile) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_areas(obj: ChampionProfile) -> list[str]:
        return [a.name for a in obj.areas.all()]

    @staticmethod
    def resolve_hours(obj: ChampionProfile) -> float:
        return round(getattr(obj, "minutes", 0) / 60, 2)


@router.get("/", response=list[ChampionOut])
@paginate(BoundedLimitOffsetPagination)
def list_champions(request: HttpRequest, q: str = Query("", max_length=100)) -> object:
    """Every champion with their load, checks and hours (coordinators)."""
    api_user(request, "champions.coordinate")
    return queries.champion_list(search=q)


class SuggestionOut(Schema):
    champion_id: int
    name: str
    score: int
    reasons: list[str]


class ExclusionOut(Schema):
    champion_id: int
    name: str
    reasons: list[str]


class SuggestionsOut(Schema):
    reference: str
    version: int
    area: str
    suggestions: list[SuggestionOut]
    # How many are excluded in all; `excluded` lists the first `excluded_limit`.
    excluded_count: int
    excluded: list[ExclusionOut]


@router.get("/suggestions/{reference}", response={200: SuggestionsOut, **ERRORS})
def suggestions(
    request: HttpRequest,
    reference: str,
    days: list[str] = Query([], max_length=7),  # noqa: B008
    limit: int = Query(20, ge=1, le=100),
    excluded_limit: int = Query(100, ge=0, le=1000),
) -> dict[str, object]:
    """Champions ranked for a request, each with reasons, and who is excluded and why
    (the first `excluded_limit` of them, as on the page; `excluded_count` says how many)."""
    user = api_user(request, "champions.coordinate")
    help_request = get_object_or_404(helpdesk_queries.records_visible_to(user), reference=reference)
    services.record_viewed(help_request, by=user, via="api: champion suggestions")
    wanted = queries.wanted_for(help_request, days=[d for d in days if d in matching.DAYS])
    ranking = queries.ranking_for(
        wanted,
        today=timezone.localdate(),
        weights=dict(settings.FINGERPOST_CHAMPIONS_MATCH_WEIGHTS),
        limit=limit,
        excluded_limit=excluded_limit,
    )
    return {
        "reference": help_request.reference,
        "version": help_request.version,
        "area": wanted.area_name,
        "suggestions": [
            {
                "champion_id": s.candidate.champion_id,
                "name": s.candidate.name,
                "score": s.score,
                "reasons": s.reasons,
            }
            for s in ranking.suggestions
        ],
        "excluded_count": ranking.excluded_count,
        "excluded": [
            {"champion_id": e.candidate.champion_id, "name": e.candidate.name, "reasons": e.reasons}
            for e in ranking.excluded
        ],
    }


class AssignIn(Schema):
    version: int
    champion: str = Field(..., max_length=254, description="The champion's email address or id")


class AssignmentOut(Schema):
    reference: str
    champion: str
    state: str
    offered_at: datetime
    answered_at: datetime | None

    @staticmethod
    def resolve_reference(obj: Assignment) -> str:
        return obj.help_request.reference

    @staticmethod
    def resolve_champion(obj: Assignment) -> str:
        return obj.champion.email


@router.post("/assign/{reference}", response={200: AssignmentOut, **ERRORS})
def assign(request: HttpRequest, reference: str, payload: AssignIn) -> Assignment:
    """Offer a request to a champion (coordinators); refused for a champion
    whose check has expired, who is paused or full."""
    user = api_user(request, "champions.coordinate")
    help_request = get_object_or_404(helpdesk_queries.records_visible_to(user), reference=reference)
    champion = queries.person_with_email_or_id(payload.champion)
    if champion is None:
        raise Invalid("No digital champion has that email address", field="champion")
    services.assign(
        help_request=help_request, champion=champion, by=user, expected_version=payload.version
    )
    found = queries.live_assignment_of_request(help_request)
    assert found is not None
    return found


class MyRequestOut(Schema):
    """What a champion sees of a request: contact details once accepted."""

    reference: str
    state: str
    needs: list[str]
    what_they_want: str
    help_modes: list[str]
    # When the resident is usually free, to arrange a session.
    free_days: list[str]
    free_parts: list[str]
    area: str
    languages: str
    access_needs: str
    name: str | None
    phone: str | None
    email: str | None
    postcode_or_town: str | None
    next_session_on: date | None


def _mine(assignment: Assignment) -> dict[str, object]:
    r = assignment.help_request
    accepted = assignment.state == "accepted"
    return {
        "reference": r.reference,
        "state": assignment.state,
        "needs": [n.need for n in r.needs.all()],
        "what_they_want": r.what_they_want,
        "help_modes": r.help_modes,
        "free_days": r.free_days,
        "free_parts": r.free_parts,
        "area": r.area,
        "languages": r.languages,
        "access_needs": r.access_needs,
        "name": r.name if accepted else None,
        "phone": r.phone if accepted else None,
        "email": r.email if accepted else None,
        "postcode_or_town": r.postcode_or_town if accepted else None,
        "next_session_on": assignment.next_session_on,
    }


def _own(request: HttpRequest, reference: str) -> tuple[User, Assignment]:
    user = api_user(request, "champions.work_as_champion")
    assignment = queries.assignment_for(user, reference)
    if assignment is None:
        raise NotFound("Not found")
    return user, assignment


@router.get("/mine", response=list[MyRequestOut])
def my_requests(request: HttpRequest) -> list[dict[str, object]]:
    """The champion's own requests, offered and accepted."""
    user = api_user(request, "champions.work_as_champion")
    return [_mine(a) for a in queries.live_assignments_of(user)]


@router.get("/mine/{reference}", response={200: MyRequestOut, **ERRORS})
def my_request(request: HttpRequest, reference: str) -> dict[str, object]:
    user, assignment = _own(request, reference)
    services.record_viewed(assignment.help_request, by=user, via="api: champion")
    return _mine(assignment)


@router.post("/mine/{reference}/accept", response={200: MyRequestOut, **ERRORS})
def accept(request: HttpRequest, reference: str) -> dict[str, object]:
    user, assignment = _own(request, reference)
    services.accept(assignment=assignment, by=user)
    return my_request(request, reference)


class DeclineIn(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class DeclinedOut(Schema):
    reference: str
    state: str


@router.post("/mine/{reference}/decline", response={200: DeclinedOut, **ERRORS})
def decline(request: HttpRequest, reference: str, payload: DeclineIn) -> dict[str, str]:
    user, assignment = _own(request, reference)
    assignment = services.decline(assignment=assignment, by=user, reason=payload.reason)
    return {"reference": reference, "state": assignment.state}


class SessionIn(Schema):
    given_on: str = Field(..., pattern=ISO_DATE)
    minutes: int = Field(..., ge=5, le=600)
    mode: SessionMode
    skills: list[Skill] = Field(default_factory=list, max_length=len(Skill.values))
    note: str = Field("", max_length=1000)
    another_wanted: bool = False
    next_session_on: str | None = Field(None, pattern=ISO_DATE)
    confidence_before: Confidence
    confidence_after: Confidence


class SessionOut(Schema):
    id: int
    given_on: date
    minutes: int
    mode: str
    skills: list[str]
    another_wanted: bool
    confidence_before: int
    confidence_after: int


@router.post("/mine/{reference}/sessions", response={201: SessionOut, **ERRORS})
def log_session(request: HttpRequest, reference: str, payload: SessionIn) -> Status[object]:
    """Log a session on your own accepted request."""
    user, assignment = _own(request, reference)
    data = payload.dict()
    data["given_on"] = _date(data["given_on"], "given_on")
    data["next_session_on"] = _date(data["next_session_on"], "next_session_on")
    session = services.log_session(assignment=assignment, by=user, **data)
    return Status(201, session)


class MonthOut(Schema):
    month: date
    sessions: int
    hours: float


class ChampionHoursOut(Schema):
    champion_id: int
    name: str
    sessions: int
    hours: float


class OrganisationHoursOut(Schema):
    organisation: str
    champions: int
    sessions: int
    hours: float


class HoursOut(Schema):
    total_hours: float
    by_month: list[MonthOut]
    by_champion: list[ChampionHoursOut]
    by_organisation: list[OrganisationHoursOut]


@router.get("/hours", response={200: HoursOut, **ERRORS})
def hours(
    request: HttpRequest, since: str | None = Query(None, pattern=ISO_DATE)
) -> dict[str, object]:
    """Volunteer hours (from `since`, if given): a champion gets their own;
    coordinators get everyone's, by month, by champion and by organisation."""
    user = api_user(request, "champions.view_hours")
    start = _date(since, "since")
    coordinator = user.has_perm("champions.coordinate")
    champion = None if coordinator else user
    months = queries.hours_by_month(champion=champion, since=start)
    by_champion = queries.hours_by_champion(since=start) if coordinator else []
    by_organisation = queries.hours_by_organisation(since=start) if coordinator else []
    total = (
        sum(r["minutes"] for r in by_champion) if coordinator else sum(m["minutes"] for m in months)
    )
    return {
        "total_hours": round(total / 60, 2),
        "by_month": [
            {"month": m["month"], "sessions": m["sessions"], "hours": round(m["minutes"] / 60, 2)}
            for m in months
        ],
        "by_champion": [
            {
                "champion_id": r["champion_id"],
                "name": r["champion__full_name"] or r["champion__email"],
                "sessions": r["sessions"],
                "hours": round(r["minutes"] / 60, 2),
            }
            for r in by_champion
        ],
        "by_organisation": [
            {
                "organisation": r["organisation__name"],
                "champions": r["champions"],
                "sessions": r["sessions"],
                "hours": round(r["minutes"] / 60, 2),
            }
            for r in by_organisation
        ],
    }
