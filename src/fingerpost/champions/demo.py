"""Demo champions: the two demo champion accounts and 30 times scale generated
ones, with varied skills, areas, ways of helping, availability, training and
checks (some expiring soon, some expired), their hours, and a few offers to
volunteer. Idempotent: generated champions are found by their email address."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.helpdesk.models import HelpRequest, Status
from fingerpost.organisations.models import Area, Membership, Organisation, Verification
from fingerpost.organisations.queries import people_with_role

from .models import (
    Assignment,
    AssignmentState,
    BackgroundCheck,
    ChampionProfile,
    CheckKind,
    HelpSession,
    Interest,
    SessionMode,
    Skill,
    TrainingRecord,
    Way,
    availability_choices,
    keep_area_ids,
)

CHAMPIONS_PER_SCALE = 30
LANGUAGES = ["", "", "", "", "Polish", "Romanian", "Arabic", "British Sign Language", "Welsh"]
FIRST = ["Alex", "Sam", "Jo", "Priya", "Tomasz", "Aisha", "Gareth", "Mei", "Ruth", "Dev"]
LAST = ["Hardy", "Barnes", "Kowalski", "Osei", "Evans", "Patel", "Morgan", "Chen", "Lane"]
SLOTS = [value for value, _ in availability_choices()]


def create_demo_data(*, scale: int) -> dict[str, int]:
    hosts = list(Organisation.objects.filter(offers_digital_help=True)) or list(
        Organisation.objects.all()[:3]
    )
    areas = list(Area.objects.all())
    if not hosts:
        return {"champions": 0}
    rng = random.Random(1313)  # noqa: S311 - demo data, not security
    today = timezone.localdate()
    _generated_champions(scale, hosts, rng)
    champions = list(people_with_role(Role.CHAMPION))
    profiles = {p.user_id: p for p in ChampionProfile.objects.all()}
    new_profiles = []
    for n, user in enumerate(champions):
        if user.pk in profiles:
            continue
        demo_account = user.email.endswith("@example.org") and "." not in user.email.split("@")[0]
        new_profiles.append(
            ChampionProfile(
                user=user,
                organisation=hosts[n % len(hosts)],
                skills=rng.sample(Skill.values, rng.randint(2, 6)),
                languages=rng.choice(LANGUAGES),
                ways=rng.sample(Way.values, rng.randint(1, 3)),
                availability=rng.sample(SLOTS, rng.randint(2, 8)),
                # The demo accounts carry the help desk's demo requests.
                max_active=20 if demo_account else rng.choice([2, 3, 3, 4, 5]),
                paused=n % 17 == 5,
                paused_note="On holiday" if n % 17 == 5 else "",
            )
        )
    ChampionProfile.objects.bulk_create([p.keep_bits() for p in new_profiles])
    through = ChampionProfile.areas.through
    links = []
    checks, training = [], []
    for profile in new_profiles:
        if areas:
            for area in rng.sample(areas, min(len(areas), rng.randint(1, 3))):
                links.append(through(championprofile_id=profile.pk, area_id=area.pk))
        # Most checks are current; some expire within a month, a few have expired.
        expires = today + timedelta(days=rng.choice([400, 300, 200, 25, 6, -10]))
        profile.check_expires_on = expires
        checks.append(
            BackgroundCheck(
                profile=profile,
                kind=rng.choice(CheckKind.values),
                checked_on=expires - timedelta(days=3 * 365),
                expires_on=expires,
            )
        )
        training.append(
            TrainingRecord(
                profile=profile,
                course="Digital Champions essentials",
                completed_on=today - timedelta(days=rng.randint(30, 700)),
                provider="Dorset Libraries",
            )
        )
    through.objects.bulk_create(links, ignore_conflicts=True)
    keep_area_ids(p.pk for p in new_profiles)
    BackgroundCheck.objects.bulk_create(checks)
    TrainingRecord.objects.bulk_create(training)
    ChampionProfile.objects.bulk_update(new_profiles, ["check_expires_on"], batch_size=500)
    _assignments_and_sessions(rng)
    _interests(rng, areas)
    return {
        "champion profiles": ChampionProfile.objects.count(),
        "volunteer sessions": HelpSession.objects.count(),
        "offers to volunteer": Interest.objects.count(),
    }


def _generated_champions(scale: int, hosts: list[Organisation], rng: random.Random) -> None:
    wanted = [f"champion.{n:05d}@example.org" for n in range(CHAMPIONS_PER_SCALE * scale)]
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    password = User(email="x@example.org")
    password.set_password(None)
    users = [
        User(
            email=email,
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            password=password.password,
        )
        for email in wanted
        if email not in existing
    ]
    User.objects.bulk_create(users)
    created = User.objects.filter(email__in=[u.email for u in users])
    now = timezone.now()
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                organisation=hosts[n % len(hosts)],
                job_title="Volunteer digital champion",
                is_champion=True,
                verified_at=now,
                verification=Verification.APPROVAL,
            )
            for n, user in enumerate(created)
        ],
        ignore_conflicts=True,
    )


def _assignments_and_sessions(rng: random.Random) -> None:
    """The help desk's demo requests already assigned become accepted
    assignments, with sessions logged for those under way or closed."""
    assigned = (
        HelpRequest.objects.filter(assigned_to__isnull=False)
        .exclude(pk__in=Assignment.objects.values("help_request_id"))
        .select_related("assigned_to")
    )
    hosts = dict(ChampionProfile.objects.values_list("user_id", "organisation_id"))
    assignments, sessions = [], []
    for request in assigned:
        if request.assigned_to_id not in hosts:
            continue
        live = request.status != Status.CLOSED
        assignments.append(
            Assignment(
                help_request=request,
                champion_id=request.assigned_to_id,
                state=AssignmentState.ACCEPTED if live else AssignmentState.ENDED,
                offered_at=request.created_at,
                answered_at=request.created_at + timedelta(hours=5),
            )
        )
        if request.status in {Status.IN_PROGRESS, Status.CLOSED}:
            for k in range(rng.randint(1, 3)):
                sessions.append(
                    HelpSession(
                        champion_id=request.assigned_to_id,
                        organisation_id=hosts[request.assigned_to_id],
                        help_request=request,
                        given_on=(request.created_at + timedelta(days=2 + 7 * k)).date(),
                        minutes=rng.choice([30, 45, 60, 60, 90, 120]),
                        mode=rng.choice(SessionMode.values),
                        skills=rng.sample(Skill.values, 2),
                        another_wanted=k == 0,
                        confidence_before=rng.randint(1, 2),
                        confidence_after=rng.randint(2, 4),
                    )
                )
    Assignment.objects.bulk_create(assignments, ignore_conflicts=True)
    # Accepted, so the champion sees the resident's contact details, as a
    # real acceptance (services.accept) would have recorded.
    HelpRequest.objects.filter(
        pk__in=[a.help_request_id for a in assignments], assignment_accepted_at__isnull=True
    ).update(assignment_accepted_at=F("created_at") + timedelta(hours=5))
    HelpSession.objects.bulk_create(sessions)


def _interests(rng: random.Random, areas: list[Area]) -> None:
    if Interest.objects.exists():
        return
    Interest.objects.bulk_create(
        [
            Interest(
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"volunteer{n}@example.org",
                postcode_or_town=areas[n % len(areas)].name if areas else "Dorchester",
                area=areas[n % len(areas)] if areas else None,
                skills=rng.sample(Skill.values, 3),
                ways=rng.sample(Way.values, 2),
                availability=rng.sample(SLOTS, 3),
                why="I helped my parents get online and would like to help others.",
            )
            for n in range(4)
        ]
    )
