"""Do the limits on public submissions hold across gunicorn workers?

Starts `fingerpost serve` with 4 workers on PostgreSQL, then sends many
bookings at once through the API and counts how many get through:

1. from one client address, each naming a different email address
   (the per-address limit);
2. from many addresses, all naming one email address, across events
   (the per-email limit).

With the shared cache (the database cache by default) the allowed count
equals the limit whatever worker answers; with a per-process cache
(`CACHE_URL=locmemcache://`, run second for comparison) each worker counts
alone and lets through up to 4 times as many. The server sits behind one
trusted proxy (TRUSTED_PROXY_COUNT=1) so the bench can speak for many
addresses with X-Forwarded-For.

    DATABASE_URL=postgres://... .venv/bin/python bench/rate_limits.py --port 8150

It exits non-zero when the shared cache lets through more than the limit.
The floor (a bare Django view and a one-query view under the same gunicorn
settings) is measured in the same run, for the requests/s beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import floor

WORKERS = 4
# The first refusal that is not the limit, to say why (it should not happen).
REFUSALS: list[str] = []


def post(url: str, body: dict, address: str) -> int:
    request = urllib.request.Request(  # noqa: S310 - our own server on loopback
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": address},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        if error.code == 422 and not REFUSALS:
            REFUSALS.append(error.read().decode()[:300])
        return int(error.code)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()


def make_events(count: int) -> list[int]:
    from datetime import timedelta

    from django.utils import timezone

    from fingerpost.accounts.models import User
    from fingerpost.events.models import Event

    organiser, _ = User.objects.get_or_create(
        email="rate-limit-bench@example.org", defaults={"full_name": "Rate limit bench"}
    )
    start = timezone.now() + timedelta(days=7)
    return [
        Event.objects.create(
            organiser=organiser,
            title=f"Rate limit bench {n}",
            summary="Bench",
            kind="drop_in",
            audience="public",
            status="published",
            capacity=1000,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        ).pk
        for n in range(count)
    ]


def burst(server: floor.Server, jobs: list[tuple[str, dict, str]], concurrency: int) -> Counter:
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        codes = pool.map(lambda job: post(server.url(job[0]), job[1], job[2]), jobs)
        return Counter(codes)


def run(port: int, attempts: int, concurrency: int, label: str) -> tuple[int, int]:
    from django.conf import settings

    address_limit = settings.FINGERPOST_LIMITS["bookings"]["address"][0]
    email_limit = settings.FINGERPOST_LIMITS["bookings"]["email"][0]
    events = make_events(attempts)
    # Fresh addresses and emails each run: counts of an earlier run in the same
    # hour are still in the cache.
    run_id = secrets.randbelow(250) + 1
    tag = f"{int(time.time())}-{run_id}"
    with floor.serve_fingerpost(port=port, workers=WORKERS) as server:
        one_address = [
            (
                f"/api/v1/events/{events[0]}/bookings",
                {"name": f"Person {n}", "email": f"p{n}-{tag}@example.org"},
                f"10.{run_id}.0.1",
            )
            for n in range(attempts)
        ]
        started = time.perf_counter()
        by_address = burst(server, one_address, concurrency)
        seconds = time.perf_counter() - started
        one_email = [
            (
                f"/api/v1/events/{events[n]}/bookings",
                {"name": "Same person", "email": f"victim-{tag}@example.org"},
                f"10.{run_id}.{n // 250 + 1}.{n % 250 + 1}",
            )
            for n in range(attempts)
        ]
        by_email = burst(server, one_email, concurrency)
        workers = len(server.workers())
    if REFUSALS:
        print(f"  refused: {REFUSALS[0]}")
    # Allowed: every answer but the limit's (a stand-in answer for a booked
    # address counts: it passed the limit).
    allowed_address = sum(v for k, v in by_address.items() if k != 429)
    allowed_email = sum(v for k, v in by_email.items() if k != 429)
    print(f"{label} ({workers} workers):")
    print(
        f"  one address, {attempts} bookings at once: {allowed_address} allowed, "
        f"limit {address_limit}; answers {dict(by_address)}; {attempts / seconds:.0f} requests/s"
    )
    print(
        f"  one email, {attempts} bookings from {attempts} addresses: {allowed_email} allowed, "
        f"limit {email_limit}; answers {dict(by_email)}"
    )
    return allowed_address - address_limit, allowed_email - email_limit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--attempts", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--floor-seconds", type=float, default=5.0)
    parser.add_argument("--no-compare", action="store_true", help="skip the per-process run")
    args = parser.parse_args()
    floor.bench_environment()
    os.environ["TRUSTED_PROXY_COUNT"] = "1"
    os.environ["FINGERPOST_LIMITS_ENABLED"] = "true"
    os.environ.pop("CACHE_URL", None)
    subprocess.run([*floor.fingerpost_command(), "migrate", "--no-input", "-v0"], check=True)  # noqa: S603
    setup_django()
    over = run(args.port, args.attempts, args.concurrency, "shared database cache")
    if not args.no_compare:
        os.environ["CACHE_URL"] = "locmemcache://"
        run(args.port + 1, args.attempts, args.concurrency, "per-process cache, for comparison")
        os.environ.pop("CACHE_URL")
    base = floor.measure_floor(
        port=args.port + 2,
        workers=WORKERS,
        concurrency=args.concurrency,
        seconds=args.floor_seconds,
    )
    floor.report([], base)
    if max(over) > 0:
        print("FAIL: the shared cache let through more than the limit")
        return 1
    print("OK: the limits held across the workers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
