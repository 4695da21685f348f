"""Matching at scale: how long it takes to rank champions for one request,
and to propose champions for every waiting request, with nobody put over
their limit.

    createdb fp_matching_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_matching_bench \
        .venv/bin/python bench/matching.py --sizes 1000x10000 10000x100000 \
        --port-base 8500

For each size (champions x waiting requests, smallest first; the data is
topped up between sizes) it prints, in this process on PostgreSQL:

- reading every champion as matching input (four queries);
- ranking one request (the pure ranking over every champion read before;
  with the request read first; and as the suggestions page does it, reading
  the request and then only the champions it can reach);
- reading every waiting request, then the proposal for all of them, and a
  check that no champion is over their limit;

then the suggestions API for one request (`GET /api/v1/champions/
suggestions/{reference}`, a coordinator's token) against `fingerpost serve`,
beside the floor (a bare Django view and a one-query view under the same
gunicorn settings), measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import floor

HOST_SLUG = "bench-matching-host"
AREAS = 14


def _setup() -> None:
    floor.bench_environment()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(run: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The median wall time of `repeat` runs (seconds), and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _data(champions: int, requests: int, rng: random.Random) -> Any:
    """Top the bench data up to this many champions and waiting requests."""
    from django.utils import timezone

    from fingerpost.accounts.models import User
    from fingerpost.champions.models import (
        ChampionProfile,
        Skill,
        Way,
        availability_choices,
        keep_area_ids,
    )
    from fingerpost.core.free_times import DAYS, PARTS
    from fingerpost.helpdesk.models import HelpRequest, HelpRequestNeed, Need, keep_need_bits
    from fingerpost.organisations.models import (
        Area,
        Membership,
        Organisation,
        PostcodeDistrict,
        Verification,
    )

    host, _ = Organisation.objects.get_or_create(
        slug=HOST_SLUG, defaults={"name": "Bench matching host", "kind": "library"}
    )
    areas = []
    for n in range(AREAS):
        area, _ = Area.objects.get_or_create(
            slug=f"bench-area-{n}", defaults={"name": f"Bench area {n}"}
        )
        PostcodeDistrict.objects.get_or_create(code=f"ZZ{n}", defaults={"area": area})
        areas.append(area)
    coordinator, _ = User.objects.get_or_create(
        email="bench.coordinator@example.org", defaults={"full_name": "Bench Coordinator"}
    )
    Membership.objects.update_or_create(
        user=coordinator,
        organisation=host,
        defaults={
            "is_coordinator": True,
            "verified_at": timezone.now(),
            "verification": Verification.APPROVAL,
        },
    )
    today = timezone.localdate()
    slots = [value for value, _ in availability_choices()]
    have = ChampionProfile.objects.filter(user__email__startswith="bench.champion.").count()
    for start in range(have, champions, 2000):
        batch = range(start, min(champions, start + 2000))
        users = User.objects.bulk_create(
            [
                User(email=f"bench.champion.{n}@example.org", full_name=f"Champion {n}")
                for n in batch
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=u,
                    organisation=host,
                    is_champion=True,
                    verified_at=timezone.now(),
                    verification=Verification.APPROVAL,
                )
                for u in users
            ]
        )
        profiles = ChampionProfile.objects.bulk_create(
            [
                ChampionProfile(
                    user=u,
                    organisation=host,
                    skills=rng.sample(Skill.values, rng.randint(2, 5)),
                    languages=rng.choice(["", "", "", "", "Polish", "Arabic", "Welsh"]),
                    ways=rng.sample(Way.values, rng.randint(1, 3)),
                    availability=rng.sample(slots, rng.randint(2, 8)),
                    max_active=rng.choice([1, 2, 3, 3, 4, 5]),
                    paused=rng.random() < 0.03,
                    # One in twenty has an expired check.
                    check_expires_on=today + timedelta(days=rng.choice([-20] + [300] * 19)),
                ).keep_bits()
                for u in users
            ]
        )
        through = ChampionProfile.areas.through
        through.objects.bulk_create(
            [
                through(championprofile_id=p.pk, area_id=a.pk)
                for p in profiles
                for a in rng.sample(areas, rng.randint(1, 3))
            ]
        )
        keep_area_ids(p.pk for p in profiles)
    have = HelpRequest.objects.filter(reference__startswith="HB").count()
    modes = ["library", "home", "phone", "community_venue"]
    for start in range(have, requests, 5000):
        batch = range(start, min(requests, start + 5000))
        made = HelpRequest.objects.bulk_create(
            [
                HelpRequest(
                    reference=f"HB{n:09d}",
                    organisation=host,
                    status="triaged",
                    priority=rng.choice([1, 2, 2, 2, 3, 4]),
                    area=f"ZZ{rng.randrange(AREAS)}",
                    help_modes=rng.sample(modes, rng.randint(1, 2)),
                    languages=rng.choice(["", "", "", "", "", "", "Polish", "Arabic"]),
                    # Half say when they are usually free.
                    free_days=rng.sample(DAYS, rng.randint(1, 3)) if n % 2 else [],
                    free_parts=rng.sample(PARTS, rng.randint(1, 2)) if n % 2 else [],
                    consent_to_share=True,
                    name="Bench resident",
                )
                for n in batch
            ]
        )
        HelpRequestNeed.objects.bulk_create(
            [
                HelpRequestNeed(request=r, need=need)
                for r in made
                for need in rng.sample(Need.values[:-1], rng.randint(1, 2))
            ]
        )
    if have < requests:
        keep_need_bits()  # the queue's need filter reads them; one UPDATE per need
    # As autovacuum would after a load this size: without statistics the
    # planner takes the tables for empty and picks nested loops.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return coordinator


def _measure(champions: int, requests: int, rng: random.Random) -> tuple[Any, str]:
    from django.utils import timezone

    from fingerpost.champions import matching, queries
    from fingerpost.helpdesk.models import HelpRequest

    coordinator = _data(champions, requests, rng)
    today = timezone.localdate()
    print(f"\n== {champions:,} champions x {requests:,} waiting requests")
    from fingerpost.champions.models import ChampionProfile

    # The data may be larger (from a larger size measured before): take this size's share.
    ids = list(
        ChampionProfile.objects.filter(user__email__startswith="bench.champion.")
        .order_by("pk")
        .values_list("user_id", flat=True)[:champions]
    )
    # As the pages read them (every champion) when the data is this size;
    # a share of larger data through an IN list of ids otherwise.
    everyone = ChampionProfile.objects.count() == len(ids)
    seconds, candidates = _timed(
        lambda: queries.candidates(champion_ids=None if everyone else ids), repeat=3
    )
    print(f"read every champion as matching input   {1000 * seconds:8.1f} ms ({len(candidates):,})")
    sample = list(HelpRequest.objects.filter(reference__startswith="HB").order_by("?")[:50])
    pure, with_read = [], []
    for help_request in sample:
        start = time.perf_counter()
        wanted = queries.wanted_for(
            HelpRequest.objects.prefetch_related("needs").get(pk=help_request.pk)
        )
        middle = time.perf_counter()
        matching.rank(wanted, candidates, today=today, limit=20)
        end = time.perf_counter()
        pure.append(end - middle)
        with_read.append(end - start)
    # As the suggestions page and API do: only the champions the request
    # can reach read in full (`queries.ranking_for`), the request read first.
    page = []
    for help_request in sample:
        start = time.perf_counter()
        wanted = queries.wanted_for(
            HelpRequest.objects.prefetch_related("needs").get(pk=help_request.pk)
        )
        queries.ranking_for(wanted, today=today, limit=20)
        page.append(time.perf_counter() - start)
    for label, times in (
        ("the ranking", pure),
        ("reading it first", with_read),
        ("as the page reads", page),
    ):
        p50, p95 = (1000 * floor.percentile(times, p) for p in (50, 95))
        print(f"rank one request ({label:<17})  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    seconds, (wanted_all, _) = _timed(lambda: queries.wanted_waiting(coordinator, limit=requests))
    print(f"read every waiting request's needs       {seconds:8.2f} s ({len(wanted_all):,})")
    seconds, proposals = _timed(
        lambda: matching.propose(wanted_all, candidates, today=today, with_reasons=False)
    )
    given = Counter(p.candidate.champion_id for p in proposals)
    by_id = {c.champion_id: c for c in candidates}
    over = sum(1 for cid, n in given.items() if by_id[cid].load + n > by_id[cid].limit)
    room = sum(
        max(0, c.limit - c.load)
        for c in candidates
        if not c.paused and c.check_expires_on and c.check_expires_on >= today
    )
    print(
        f"propose for all of them                 {seconds:8.2f} s: {len(proposals):,} proposed "
        f"({room:,} places free), {len(given):,} champions used, {over} over their limit"
    )
    seconds, _ = _timed(
        lambda: matching.propose(wanted_all, candidates, today=today, with_reasons=True)
    )
    print(f"propose, with the reasons worded        {seconds:8.2f} s")
    return coordinator, sample[0].reference


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["1000x10000", "10000x100000"])
    parser.add_argument("--port-base", type=int, default=8500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-http", action="store_true", help="skip the server figures")
    args = parser.parse_args(argv)
    _setup()
    rng = random.Random(2026)  # noqa: S311 - bench data, not security
    sizes = sorted(tuple(int(x) for x in s.split("x")) for s in args.sizes)
    coordinator, reference = None, ""
    for champions, requests in sizes:
        coordinator, reference = _measure(champions, requests, rng)
    if args.no_http or coordinator is None:
        return 0
    from fingerpost.core.api_auth import issue_api_token

    token = issue_api_token(coordinator)
    with floor.serve_fingerpost(port=args.port_base + 1, workers=args.workers) as server:
        url = server.url(f"/api/v1/champions/suggestions/{reference}")
        mine = floor.load(
            url,
            concurrency=args.concurrency,
            seconds=args.seconds,
            headers={"Authorization": f"Bearer {token}"},
            warmup=5,
        )
    base = floor.measure_floor(
        port=args.port_base,
        workers=args.workers,
        concurrency=args.concurrency,
        seconds=args.seconds,
    )
    print(
        f"\n== over HTTP: {args.workers} workers, {args.concurrency} clients, "
        f"{args.seconds:.0f} s, at the largest size"
    )
    floor.report([("suggestions for one request (API)", mine)], base)
    return 0 if mine.failures == 0 and set(mine.statuses) == {200} else 1


if __name__ == "__main__":
    sys.exit(main())
