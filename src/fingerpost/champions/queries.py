"""Reads about champions: profiles, load, matching input, the workspace,
hours and what coordinators need to chase. Views, the API, the services and
the timed jobs all read through here."""

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Collate, NullIf, TruncMonth
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.core.free_times import free_mask
from fingerpost.helpdesk import queries as helpdesk_queries
from fingerpost.helpdesk.models import HelpRequest, HelpRequestNeed, Status
from fingerpost.organisations.models import Area
from fingerpost.organisations.queries import area_for, holds_role, people_with_role

from . import matching
from .models import (
    LIVE_STATES,
    Assignment,
    AssignmentState,
    ChampionProfile,
    HelpSession,
    Interest,
    InterestStatus,
)

OPEN = ~Q(status=Status.CLOSED)
WAITING_STATUSES = [Status.NEW, Status.TRIAGED]


def profile_for(user: Any) -> ChampionProfile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ChampionProfile.objects.select_related("organisation", "user")
        .prefetch_related("areas", "training", "checks")
        .filter(user=user)
        .first()
    )


def load_of(champion_id: int) -> int:
    """Open requests assigned to a champion (offered or accepted)."""
    return HelpRequest.objects.filter(
        OPEN, assigned_to_id=champion_id, anonymised_at__isnull=True
    ).count()


def _load_subquery() -> Any:
    open_requests = (
        HelpRequest.objects.filter(OPEN, assigned_to_id=OuterRef("user_id"))
        .order_by()
        .values("assigned_to_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(open_requests, output_field=IntegerField()), 0)


def _minutes_subquery() -> Any:
    minutes = (
        HelpSession.objects.filter(champion_id=OuterRef("user_id"))
        .order_by()
        .values("champion_id")
        .annotate(m=Sum("minutes"))
        .values("m")
    )
    return Coalesce(Subquery(minutes, output_field=IntegerField()), 0)


def champion_list(*, search: str = "") -> QuerySet[ChampionProfile]:
    """Every champion's profile for coordinators, with load and hours, in a
    fixed number of queries."""
    profiles = (
        ChampionProfile.objects.filter(user__in=people_with_role(Role.CHAMPION))
        .select_related("user", "organisation")
        .prefetch_related("areas")
        .annotate(load=_load_subquery(), minutes=_minutes_subquery())
    )
    if search:
        profiles = profiles.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    return profiles.order_by("user__full_name", "pk")


def champion_profile(pk: int) -> ChampionProfile | None:
    return (
        ChampionProfile.objects.select_related("user", "organisation")
        .prefetch_related("areas", "training", "checks")
        .annotate(load=_load_subquery(), minutes=_minutes_subquery())
        .filter(pk=pk)
        .first()
    )


def checks_due(*, today: date | None = None, within_days: int | None = None) -> QuerySet[Any]:
    today = today or timezone.localdate()
    days = (
        within_days
        if within_days is not None
        else max(settings.FINGERPOST_CHAMPIONS_CHECK_WARNING_DAYS)
    )
    return ChampionProfile.objects.filter(
        Q(check_expires_on__isnull=True) | Q(check_expires_on__lte=today + timedelta(days=days))
    )


# ---------------------------------------------------------------- matching


_CANDIDATE_COLUMNS = (
    "user_id",
    "user__full_name",
    "user__email",
    "skill_bits",
    "languages",
    "way_bits",
    "day_bits",
    "slot_bits",
    "max_active",
    "paused",
    "check_expires_on",
    "organisation_id",
    "area_ids",
)


def _champion_profiles() -> QuerySet[ChampionProfile]:
    """Profiles of active people holding the champion role in a verified
    membership (as `people_with_role`), written against the user already
    joined for the names, so the database scans the people once."""
    # No ORDER BY: ranking sorts what it shows itself.
    return ChampionProfile.objects.filter(
        holds_role(Role.CHAMPION, user="user_id"), user__is_active=True
    ).order_by()


def _open_loads() -> dict[int, int]:
    """Open requests per assigned champion, in one GROUP BY."""
    return dict(
        HelpRequest.objects.filter(OPEN, assigned_to__isnull=False)
        .order_by()
        .values_list("assigned_to_id")
        .annotate(n=Count("pk"))
        .values_list("assigned_to_id", "n")
    )


class _CandidateBuilder:
    """Champions' rows as matching input. Many champions serve the same few
    areas and write their languages the same way: each mix is parsed once."""

    def __init__(self, loads: dict[int, int]) -> None:
        self.loads = loads
        self.area_sets: dict[str, frozenset[int]] = {}
        self.spoken: dict[str, frozenset[str]] = {}

    def areas_of(self, text: str) -> frozenset[int]:
        # The profile's `area_ids` column ("3,7,12"), not the links.
        found = self.area_sets.get(text)
        if found is None:
            found = self.area_sets[text] = frozenset(int(i) for i in text.split(",") if i)
        return found

    def languages_of(self, text: str) -> frozenset[str]:
        found = self.spoken.get(text)
        if found is None:
            found = self.spoken[text] = matching.languages_of(text)
        return found

    def build(self, rows: Iterable[tuple[Any, ...]]) -> list[matching.Candidate]:
        loads, areas_of, languages_of = self.loads, self.areas_of, self.languages_of
        return [
            matching.Candidate(
                champion_id=user_id,
                name=name or email,
                skills=skills,
                languages=languages_of(languages),
                areas=areas_of(area_ids),
                ways=ways,
                days=days,
                slots=slots,
                load=loads.get(user_id, 0),
                limit=limit,
                paused=paused,
                check_expires_on=expires,
                organisation_id=organisation_id,
            )
            for (
                user_id,
                name,
                email,
                skills,
                languages,
                ways,
                days,
                slots,
                limit,
                paused,
                expires,
                organisation_id,
                area_ids,
            ) in rows
        ]


def candidates(*, champion_ids: list[int] | None = None) -> list[matching.Candidate]:
    """Every champion as matching input (for proposals): flat queries at any size."""
    profiles = _champion_profiles()
    if champion_ids is not None:
        profiles = profiles.filter(user_id__in=champion_ids)
    rows = list(profiles.values_list(*_CANDIDATE_COLUMNS))
    return _CandidateBuilder(_open_loads()).build(rows)


def _binary(expression: Any) -> Any:
    """Text compared by code point, as Python compares strings, so the
    database and `matching.rank` agree on which names come first."""
    return Collate(expression, "C" if connection.vendor == "postgresql" else "BINARY")


def ranking_for(
    wanted: matching.Wanted,
    *,
    today: date,
    weights: dict[str, int] | None = None,
    limit: int | None = None,
    excluded_limit: int = 100,
) -> matching.Ranking:
    """Champions ranked for one request, and the first `excluded_limit`
    excluded by name with how many are excluded in all.

    In a town's request most champions serve elsewhere and cannot help
    remotely, and some have paused or have no current check: the database
    sets those aside (the area by its links, the remote ways in `way_bits`),
    so only champions who may take the request are read in full; of the
    rest, just the first `excluded_limit` by name and their number. Three
    queries, whatever the number of champions."""
    profiles = _champion_profiles()
    may_take = Q(check_expires_on__gte=today, paused=False)
    if wanted.declined_by:
        may_take &= ~Q(user_id__in=sorted(wanted.declined_by))
    if wanted.area_id is not None:
        # The area links, not `area_ids`: an index finds who serves the area.
        serving = ChampionProfile.areas.through.objects.filter(area_id=wanted.area_id)
        reach = Q(pk__in=serving.values("championprofile_id"))
        remote = matching.remote_ways_for(wanted)
        if remote:
            profiles = profiles.alias(remote_bits=F("way_bits").bitand(remote))
            reach |= Q(remote_bits__gt=0)
        may_take &= reach
    # Full champions are among those read: the load is counted apart.
    rows = list(profiles.filter(may_take).values_list(*_CANDIDATE_COLUMNS))
    set_aside = profiles.exclude(may_take)
    first_set_aside: list[tuple[Any, ...]] = []
    set_aside_count = 0
    if excluded_limit:
        # The total rides along on each row (a window over the whole set),
        # so the first names and the count are one query.
        ordered = set_aside.annotate(
            sort_name=_binary(Coalesce(NullIf("user__full_name", Value("")), "user__email")),
            total=Window(Count("pk")),
        ).order_by("sort_name", "user_id")
        for row in ordered.values_list(*_CANDIDATE_COLUMNS, "total")[:excluded_limit]:
            first_set_aside.append(row[:-1])
            set_aside_count = row[-1]
    else:
        set_aside_count = set_aside.count()
    builder = _CandidateBuilder(_open_loads())
    # Everyone set aside is excluded by `rank` too, for the same reasons.
    return matching.rank(
        wanted,
        builder.build(rows) + builder.build(first_set_aside),
        today=today,
        weights=weights,
        limit=limit,
        excluded_limit=excluded_limit,
        also_excluded=set_aside_count - len(first_set_aside),
    )


def _area_lookup() -> dict[str, Area]:
    return {a.name.casefold(): a for a in Area.objects.all()}


def wanted_for(
    help_request: HelpRequest, *, days: list[str] | None = None, areas: dict[str, Any] | None = None
) -> matching.Wanted:
    """What a request asks of a champion. Its area is the same grouping the
    help desk and the directory use (`organisations.queries.area_for`)."""
    area = None
    for text in (help_request.area, help_request.postcode_or_town):
        if text:
            area = (areas or {}).get(text.casefold()) if areas is not None else None
            area = area or area_for(text)
            if area is not None:
                break
    declined = frozenset(
        Assignment.objects.filter(
            help_request=help_request, state=AssignmentState.DECLINED
        ).values_list("champion_id", flat=True)
    )
    return matching.Wanted(
        reference=help_request.reference,
        needs=tuple(sorted(n.need for n in help_request.needs.all())),
        area_id=area.pk if area else None,
        area_name=area.name if area else "",
        languages=matching.languages_of(help_request.languages),
        ways=matching.way_mask(
            matching.HELP_MODE_WAYS[m]
            for m in help_request.help_modes
            if m in matching.HELP_MODE_WAYS
        ),
        days=matching.day_mask(days or []),
        slots=free_mask(help_request.free_days, help_request.free_parts),
        declined_by=declined,
        priority=help_request.priority,
    )


def waiting_requests(user: Any) -> QuerySet[HelpRequest]:
    """Requests this coordinator may assign that wait for a champion: not
    assigned, open, the resident agreed to share their details."""
    return (
        helpdesk_queries.requests_visible_to(user)
        .filter(
            status__in=WAITING_STATUSES,
            assigned_to__isnull=True,
            consent_to_share=True,
            anonymised_at__isnull=True,
        )
        .order_by("-priority", "created_at", "pk")
    )


def _area_finder() -> Callable[[str], tuple[int, str] | None]:
    """Text (a postcode, a district, a town) to (area id, name), with every
    district and area read once: the same answers as `area_for`."""
    from fingerpost.organisations.models import PostcodeDistrict
    from fingerpost.organisations.queries import postcode_district

    districts = {
        code: (area_id, name)
        for code, area_id, name in PostcodeDistrict.objects.values_list(
            "code", "area_id", "area__name"
        )
    }
    names: dict[str, tuple[int, str]] = {}
    for area in Area.objects.all():
        for name in area.names:
            names[name.casefold()] = (area.pk, area.name)

    def find(text: str) -> tuple[int, str] | None:
        code = postcode_district(text)
        if code:
            return districts.get(code)
        return names.get(" ".join(text.split()).casefold())

    return find


def wanted_waiting(
    user: Any, *, limit: int | None = None
) -> tuple[list[matching.Wanted], dict[str, int]]:
    """Matching input for every request waiting for this coordinator (or the
    first `limit`), in queue order, and each one's version: four flat
    queries, reading only the columns matching needs."""
    waiting = waiting_requests(user)
    if limit is not None:
        waiting = waiting.filter(pk__in=Subquery(waiting.values("pk")[:limit]))
    rows = list(
        waiting.values_list(
            "pk",
            "reference",
            "version",
            "priority",
            "area",
            "postcode_or_town",
            "languages",
            "help_modes",
            "free_days",
            "free_parts",
        )
    )
    needs: dict[int, list[str]] = {}
    for request_id, need in HelpRequestNeed.objects.filter(
        request__in=waiting.values("pk")
    ).values_list("request_id", "need"):
        needs.setdefault(request_id, []).append(need)
    declined: dict[int, set[int]] = {}
    for request_id, champion_id in Assignment.objects.filter(
        help_request__in=waiting.values("pk"), state=AssignmentState.DECLINED
    ).values_list("help_request_id", "champion_id"):
        declined.setdefault(request_id, set()).add(champion_id)
    find = _area_finder()
    found_for: dict[str, tuple[int, str] | None] = {}
    out, versions = [], {}
    for pk, reference, version, priority, area, place, languages, modes, days, parts in rows:
        found = None
        for text in (area, place):
            if text:
                if text not in found_for:
                    found_for[text] = find(text)
                found = found_for[text]
                if found:
                    break
        versions[reference] = version
        out.append(
            matching.Wanted(
                reference=reference,
                needs=tuple(sorted(needs.get(pk, ()))),
                area_id=found[0] if found else None,
                area_name=found[1] if found else "",
                languages=matching.languages_of(languages),
                ways=matching.way_mask(
                    matching.HELP_MODE_WAYS[m] for m in modes if m in matching.HELP_MODE_WAYS
                ),
                declined_by=frozenset(declined.get(pk, ())),
                slots=free_mask(days, parts),
                priority=priority,
            )
        )
    return out, versions


# ---------------------------------------------------------------- workspace


def live_assignments_of(user: Any) -> QuerySet[Assignment]:
    """A champion's offered and accepted requests that are still open."""
    return (
        Assignment.objects.filter(
            champion=user,
            state__in=LIVE_STATES,
            help_request__assigned_to=user,
            help_request__anonymised_at__isnull=True,
        )
        .exclude(help_request__status=Status.CLOSED)
        .select_related("help_request")
        .prefetch_related("help_request__needs")
        .order_by("state", "next_session_on", "offered_at", "pk")
    )


def assignment_for(user: Any, reference: str) -> Assignment | None:
    """The champion's own live assignment of a request, or None (a 404):
    scoped both ways, by the help desk's rule and by the assignment."""
    visible = helpdesk_queries.records_visible_to(user, offers=True).filter(assigned_to=user)
    return (
        Assignment.objects.filter(
            champion=user,
            state__in=LIVE_STATES,
            help_request__in=visible,
            help_request__reference=reference,
        )
        .select_related("help_request", "help_request__organisation")
        .prefetch_related("help_request__needs")
        .first()
    )


def sessions_of_request(help_request: HelpRequest, champion: Any) -> QuerySet[HelpSession]:
    return HelpSession.objects.filter(help_request=help_request, champion=champion)


def recent_sessions_of(user: Any, *, limit: int = 10) -> QuerySet[HelpSession]:
    return HelpSession.objects.filter(champion=user).select_related("help_request")[:limit]


def live_assignment_of_request(help_request: HelpRequest) -> Assignment | None:
    return (
        Assignment.objects.filter(help_request=help_request, state__in=LIVE_STATES)
        .select_related("champion")
        .first()
    )


def declines_of_request(help_request: HelpRequest) -> QuerySet[Assignment]:
    return Assignment.objects.filter(
        help_request=help_request, state=AssignmentState.DECLINED
    ).select_related("champion")


# ---------------------------------------------------------------- hours


def minutes_of(user: Any) -> int:
    return HelpSession.objects.filter(champion=user).aggregate(m=Sum("minutes"))["m"] or 0


def hours_by_month(*, champion: Any = None, since: date | None = None) -> list[Any]:
    sessions = HelpSession.objects.all()
    if champion is not None:
        sessions = sessions.filter(champion=champion)
    if since is not None:
        sessions = sessions.filter(given_on__gte=since)
    return list(
        sessions.annotate(month=TruncMonth("given_on"))
        .order_by()
        .values("month")
        .annotate(minutes=Sum("minutes"), sessions=Count("pk"))
        .order_by("-month")
    )


def hours_by_organisation(*, since: date | None = None) -> list[Any]:
    sessions = HelpSession.objects.all()
    if since is not None:
        sessions = sessions.filter(given_on__gte=since)
    return list(
        sessions.order_by()
        .values("organisation__name")
        .annotate(
            minutes=Sum("minutes"), sessions=Count("pk"), champions=Count("champion", distinct=True)
        )
        .order_by("organisation__name")
    )


def hours_by_champion(*, since: date | None = None) -> list[Any]:
    sessions = HelpSession.objects.all()
    if since is not None:
        sessions = sessions.filter(given_on__gte=since)
    return list(
        sessions.order_by()
        .values("champion_id", "champion__full_name", "champion__email")
        .annotate(minutes=Sum("minutes"), sessions=Count("pk"))
        .order_by("-minutes", "champion__full_name")
    )


def hours_rows(*, since: date | None = None) -> list[list[Any]]:
    """One row per champion, month and organisation, for the download."""
    sessions = HelpSession.objects.all()
    if since is not None:
        sessions = sessions.filter(given_on__gte=since)
    rows = (
        sessions.annotate(month=TruncMonth("given_on"))
        .order_by()
        .values("month", "champion__full_name", "champion__email", "organisation__name")
        .annotate(minutes=Sum("minutes"), sessions=Count("pk"))
        .order_by("month", "champion__full_name", "organisation__name")
    )
    return [
        [
            f"{r['month']:%Y-%m}",
            r["champion__full_name"] or r["champion__email"],
            r["organisation__name"],
            r["sessions"],
            round(r["minutes"] / 60, 2),
        ]
        for r in rows
    ]


def milestones_reached(minutes: int) -> list[int]:
    return [h for h in settings.FINGERPOST_CHAMPIONS_MILESTONE_HOURS if minutes >= h * 60]


# ---------------------------------------------------------------- coordination


def quiet_assignments(*, now: datetime | None = None) -> QuerySet[Assignment]:
    """Live assignments with no session logged within the set number of days."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FINGERPOST_CHAMPIONS_NO_SESSION_DAYS)
    logged = HelpSession.objects.filter(
        help_request_id=OuterRef("help_request_id"),
        champion_id=OuterRef("champion_id"),
    )
    return (
        Assignment.objects.filter(state__in=LIVE_STATES, offered_at__lt=cutoff)
        .exclude(help_request__status=Status.CLOSED)
        .filter(help_request__assigned_to_id=F("champion_id"))
        .filter(~Exists(logged))
        .select_related("champion", "help_request")
        .order_by("offered_at", "pk")
    )


def interests(*, status: str = InterestStatus.NEW) -> QuerySet[Interest]:
    found = Interest.objects.select_related("area")
    return found.filter(status=status) if status else found


def person_with_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def person_with_email_or_id(value: Any) -> User | None:
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return User.objects.filter(pk=int(value), is_active=True).first()
    return person_with_email(str(value))
