"""Requests for help in bulk, for the help-desk benches: `ensure_requests(N)`
makes the database hold N of them (adding or removing the bench's own), in
batches of plain INSERTs, so 100,000 take a minute or two instead of the
hours of `fingerpost demo --scale 1700` (which scales every app).

    DATABASE_URL=postgres://... .venv/bin/python bench/helpdesk_data.py 100000

Run `fingerpost demo` first (people, organisations, towns). The requests are
spread like a real desk's: every status (most of them closed, as time goes
on), every area of the partnership's list and some outside it, each
organisation of the library service, the demo champions as assignees, ages
over a year, one to three needs, and a timeline of one to ten entries
(made, triaged, assigned, contacted, notes, closed), so the queue's filters
and the report have honest work to do.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta
from typing import Any

PREFIX = "HB"  # the bench's references; the demo's start HDEMO, real ones H + 7 letters
BATCH = 5000


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()


def remove_bench_requests(keep: int) -> None:
    """Delete the bench's requests beyond the first `keep`, with plain SQL
    (the ORM would read every row and its children first)."""
    from django.db import connection, transaction

    from fingerpost.helpdesk.models import HelpRequest, HelpRequestNeed, TimelineEntry

    bench = HelpRequest.objects.filter(reference__startswith=PREFIX).order_by("pk")
    cutoff = bench.values_list("pk", flat=True)[keep : keep + 1].first()
    if cutoff is None:
        return
    doomed = f"SELECT id FROM {HelpRequest._meta.db_table} WHERE reference LIKE %s AND id >= %s"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (HelpRequestNeed, TimelineEntry):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE request_id IN ({doomed})",  # noqa: S608
                [f"{PREFIX}%", cutoff],
            )
        cursor.execute(
            f"DELETE FROM {HelpRequest._meta.db_table} WHERE id IN ({doomed})",  # noqa: S608
            [f"{PREFIX}%", cutoff],
        )


def ensure_requests(total: int, *, seed: int = 1700) -> dict[str, Any]:
    """Make the database hold `total` requests for help (adding bench
    requests, or removing them); returns the count and the seconds taken."""
    from django.db import connection

    from fingerpost.helpdesk.models import HelpRequest, HelpRequestNeed, TimelineEntry

    started = time.perf_counter()
    have = HelpRequest.objects.count()
    bench = HelpRequest.objects.filter(reference__startswith=PREFIX).count()
    if have > total and bench:
        remove_bench_requests(keep=max(0, bench - (have - total)))
    elif have < total:
        _add(total - have, first=bench, seed=seed)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            # What autovacuum does for a real desk after a while: fresh
            # statistics (the planner sees 100,000 rows, not the handful it
            # last counted) and the visibility map index-only scans rely on.
            for model in (HelpRequest, HelpRequestNeed, TimelineEntry):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    return {
        "requests": HelpRequest.objects.count(),
        "seconds": time.perf_counter() - started,
    }


def _add(count: int, *, first: int, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from fingerpost.accounts.roles import Role
    from fingerpost.helpdesk.models import (
        Channel,
        HelpMode,
        HelpRequest,
        HelpRequestNeed,
        Need,
        Outcome,
        ReferralSource,
        Status,
        TimelineEntry,
        need_mask,
    )
    from fingerpost.organisations.models import Area, Organisation
    from fingerpost.organisations.queries import people_with_role

    handler = (
        Organisation.objects.filter(slug="dorset-libraries").first() or Organisation.objects.first()
    )
    if handler is None:
        raise SystemExit("No organisations: run `fingerpost demo` first.")
    organisations = [handler, *Organisation.objects.filter(parent=handler)]
    champions: list[Any] = list(people_with_role(Role.CHAMPION).distinct()) or [None]
    staff: list[Any] = list(people_with_role(Role.COORDINATOR).distinct()) or [None]
    towns: list[Any] = list(Area.objects.all()) or [None]
    rng = random.Random(seed + first)  # noqa: S311 - bench data, not security
    now = timezone.now()
    # Older requests are mostly closed; the last few weeks are mostly open.
    open_statuses = [Status.NEW, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS]
    outcomes = Outcome.values
    needs_all = Need.values
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        requests = []
        plans = []
        for k in range(size):
            n = first + start + k
            age = timedelta(minutes=rng.randint(30, 60 * 24 * 400))
            created = now - age
            closed_share = min(0.95, age.days / 60)
            status = Status.CLOSED if rng.random() < closed_share else rng.choice(open_statuses)
            assigned = (
                rng.choice(champions)
                if status in {Status.ASSIGNED, Status.IN_PROGRESS}
                or (status == Status.CLOSED and rng.random() < 0.6)
                else None
            )
            contacted = status != Status.NEW and rng.random() < 0.9
            first_contact = created + timedelta(minutes=rng.randint(20, 60 * 24 * 6))
            closed = created + timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 1440))
            town = rng.choice(towns) if rng.random() < 0.9 else None
            requests.append(
                HelpRequest(
                    reference=f"{PREFIX}{n:07d}",
                    organisation=rng.choice(organisations),
                    channel=rng.choice(Channel.values),
                    referral_source=rng.choice(ReferralSource.values),
                    what_they_want="Video call my grandchildren and book a GP appointment",
                    has_device=rng.choice(["yes", "no", "not_sure"]),
                    has_internet=rng.choice(["yes", "no", "not_sure"]),
                    help_modes=rng.sample(HelpMode.values, k=rng.randint(1, 2)),
                    name=f"Resident {n}",
                    phone=f"07700{900000 + n % 99999:06d}",
                    email=f"resident{n}@example.org" if n % 3 else "",
                    postcode_or_town=town.name if town else "Exeter",
                    area=town.name if town else "Exeter",
                    town=town,
                    consent_to_share=rng.random() < 0.85 or assigned is not None,
                    status=status,
                    priority=rng.choice([1, 2, 2, 2, 2, 3, 3, 4]),
                    assigned_to=assigned,
                    assignment_accepted_at=first_contact if assigned else None,
                    safeguarding_concern=rng.random() < 0.02,
                    first_contact_at=first_contact if contacted else None,
                    outcome=rng.choice(outcomes) if status == Status.CLOSED else "",
                    outcome_detail="Done" if status == Status.CLOSED else "",
                    closed_at=closed if status == Status.CLOSED else None,
                    created_at=created,
                )
            )
            plans.append(rng.sample(needs_all, k=rng.choice([1, 1, 2, 2, 3])))
            requests[-1].need_bits = need_mask(plans[-1])
        with transaction.atomic():
            HelpRequest.objects.bulk_create(requests)
            if requests[0].pk is None:  # databases that do not return new keys
                keys = dict(
                    HelpRequest.objects.filter(
                        reference__in=[r.reference for r in requests]
                    ).values_list("reference", "pk")
                )
                for request in requests:
                    request.pk = keys[request.reference]
            needs = [
                HelpRequestNeed(request_id=request.pk, need=need)
                for request, wanted in zip(requests, plans, strict=True)
                for need in wanted
            ]
            HelpRequestNeed.objects.bulk_create(needs)
            TimelineEntry.objects.bulk_create(
                [entry for request in requests for entry in _timeline(request, rng, staff)]
            )


def _timeline(request: Any, rng: random.Random, staff: list[Any]) -> list[Any]:
    from fingerpost.helpdesk.models import Status, TimelineEntry, TimelineKind

    at = request.created_at
    entries = [TimelineEntry(request_id=request.pk, kind=TimelineKind.CREATED, at=at)]

    def step(kind: str, detail: str = "") -> None:
        nonlocal at
        at = at + timedelta(minutes=rng.randint(5, 600))
        entries.append(
            TimelineEntry(
                request_id=request.pk, actor=rng.choice(staff), kind=kind, detail=detail, at=at
            )
        )

    if request.status == Status.NEW:
        return entries
    step(TimelineKind.STATUS, "Triaged")
    step(TimelineKind.NEEDS, "Needs confirmed")
    if request.assigned_to_id:
        step(TimelineKind.ASSIGNED, "Assigned to a champion")
    for _ in range(rng.randint(0, 2)):
        step(TimelineKind.CONTACT, "Left a message")
    if request.first_contact_at:
        step(TimelineKind.CONTACT, "Reached the resident")
    for _ in range(rng.randint(0, 2)):
        step(TimelineKind.NOTE, "Spoke about what they want to do online")
    if request.status == Status.CLOSED:
        step(TimelineKind.CLOSED, request.outcome)
    return entries


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        print(__doc__)
        return 2
    _setup()
    done = ensure_requests(int(sys.argv[1]))
    print(f"{done['requests']} requests for help ({done['seconds']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
