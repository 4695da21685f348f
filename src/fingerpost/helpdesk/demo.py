"""Demo requests for help in every status; --scale N makes N times as many
(bulk-created, so 100,000 requests take seconds, not hours)."""

import random
from datetime import timedelta

from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.core.free_times import DAYS, PARTS
from fingerpost.organisations.models import Organisation
from fingerpost.organisations.queries import area_for, people_with_role

from .models import (
    Channel,
    HelpMode,
    HelpRequest,
    HelpRequestNeed,
    Need,
    Outcome,
    ReferralSource,
    Status,
    TimelineEntry,
    TimelineKind,
    keep_need_bits,
)

REQUESTS_PER_SCALE = 60
TOWNS = ["DT1", "DT2", "DT4", "DT6", "DT11", "SP7", "BH15", "Weymouth", "Bridport", "Shaftesbury"]
FIRST_NAMES = [
    "Margaret",
    "John",
    "Aisha",
    "Tomasz",
    "Brenda",
    "Kwame",
    "Eileen",
    "Raj",
    "Sue",
    "Dev",
]
LAST_NAMES = [
    "Jones",
    "Smith",
    "Khan",
    "Nowak",
    "Taylor",
    "Mensah",
    "Brown",
    "Patel",
    "Evans",
    "Lee",
]


def create_demo_data(*, scale: int) -> dict[str, int]:
    wanted = REQUESTS_PER_SCALE * scale
    existing = HelpRequest.objects.filter(reference__startswith="HDEMO").count()
    if existing >= wanted:
        return {"help requests": existing}
    handler = (
        Organisation.objects.filter(slug="dorset-libraries").first() or Organisation.objects.first()
    )
    if handler is None:
        return {"help requests": 0}
    branches = list(Organisation.objects.filter(parent=handler)) or [handler]
    champions = list(
        people_with_role(Role.CHAMPION).filter(
            email__in=["champion@example.org", "champion2@example.org"]
        )
    )
    coordinator = User.objects.filter(email="coordinator@example.org").first()
    rng = random.Random(4242)  # noqa: S311 - demo data, not security
    now = timezone.now()
    statuses = [Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.CLOSED]
    outcomes = [o for o in Outcome.values if o != Outcome.WITHDRAWN]
    towns = {place: area_for(place) for place in TOWNS}
    requests = []
    for n in range(existing, wanted):
        status = statuses[n % len(statuses)]
        created = now - timedelta(hours=rng.randint(1, 24 * 120))
        contacted = status not in {Status.NEW, Status.TRIAGED} or n % 3 == 0
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        assigned = (
            champions[n % len(champions)]
            if champions and status in {Status.ASSIGNED, Status.IN_PROGRESS, Status.CLOSED}
            else None
        )
        requests.append(
            HelpRequest(
                reference=f"HDEMO{n:06d}"[:12],
                organisation=branches[n % len(branches)] if n % 4 else handler,
                channel=rng.choice(Channel.values),
                referral_source=rng.choice(ReferralSource.values),
                what_they_want="Video call my family",
                has_device=rng.choice(["yes", "no", "not_sure"]),
                has_internet=rng.choice(["yes", "no", "not_sure"]),
                help_modes=[rng.choice(HelpMode.values)],
                # One in three says when they are usually free (not drawn
                # from `rng`, so the rest of the demo stays as it was).
                free_days=[DAYS[n % 7], DAYS[(n + 2) % 7]] if n % 3 == 0 else [],
                free_parts=[PARTS[n % 3]] if n % 3 == 0 and n % 2 else [],
                name=name,
                phone=f"07700{900000 + n % 99999:06d}",
                email=f"resident{n}@example.org" if n % 2 else "",
                postcode_or_town=rng.choice(TOWNS),
                area=(area := rng.choice(TOWNS)),
                town=towns[area],
                consent_to_share=n % 7 != 0 or assigned is not None,
                status=status,
                priority=rng.choice([1, 2, 2, 2, 3, 4]),
                assigned_to=assigned,
                first_contact_at=created + timedelta(hours=rng.randint(1, 96))
                if contacted
                else None,
                outcome=rng.choice(outcomes) if status == Status.CLOSED else "",
                outcome_detail="Can now make video calls" if status == Status.CLOSED else "",
                closed_at=created + timedelta(days=rng.randint(1, 20))
                if status == Status.CLOSED
                else None,
                created_at=created,
            )
        )
    HelpRequest.objects.bulk_create(requests, batch_size=2000)
    pks = dict(
        HelpRequest.objects.filter(reference__in=[r.reference for r in requests]).values_list(
            "reference", "pk"
        )
    )
    needs, timeline = [], []
    for n, request in enumerate(requests):
        pk = pks[request.reference]
        for need in rng.sample(Need.values, k=1 + n % 2):
            needs.append(HelpRequestNeed(request_id=pk, need=need))
        timeline.append(
            TimelineEntry(
                request_id=pk,
                kind=TimelineKind.CREATED,
                detail="Request made",
                at=request.created_at,
            )
        )
        if request.status == Status.CLOSED:
            timeline.append(
                TimelineEntry(
                    request_id=pk,
                    actor=coordinator,
                    kind=TimelineKind.CLOSED,
                    detail=request.get_outcome_display(),
                    at=request.closed_at or now,
                )
            )
    HelpRequestNeed.objects.bulk_create(needs, batch_size=5000, ignore_conflicts=True)
    keep_need_bits(pks.values())
    TimelineEntry.objects.bulk_create(timeline, batch_size=5000)
    return {"help requests": HelpRequest.objects.filter(reference__startswith="HDEMO").count()}
