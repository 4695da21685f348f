"""Lending under load: 32 staff clients lend and take back a small pool of
devices at once, through the API of a running `fingerpost serve` on
PostgreSQL, and afterwards no device may ever have been on two loans.

    DATABASE_URL=postgres://... .venv/bin/python bench/lending.py \
        --port-base 8200 --staff 32 --devices 24 --seconds 20

Each client is a coordinator with an API token; it picks a device at random
and lends it to its own borrower (POST /api/v1/lending/loans), then records
the return and the wipe check. Two clients often pick the same device: one
is lent it, the other gets a 409 and tries another, which is the contention
being measured. It prints operations per second (a lend, a return or a wipe
check that succeeded), p50/p95/p99 of every request, the refusals, and then
the floor (a bare Django view and a one-query view under the same gunicorn
settings, from bench/floor.py) measured in the same run. It exits non-zero
if any device was on two loans at once, or any request answered 5xx.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

import floor


def setup(run: str, staff: int, devices: int) -> tuple[list[tuple[str, str]], list[str]]:
    """A branch, its devices, and one coordinator (token) and borrower per client."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()
    from django.utils import timezone

    from fingerpost.accounts.models import User
    from fingerpost.core.api_auth import issue_api_token
    from fingerpost.lending.models import Borrower, Device, DeviceKind
    from fingerpost.organisations.models import Membership, Organisation, Verification

    branch = Organisation.objects.create(
        name=f"Bench library {run}", slug=f"bench-library-{run}", kind="library"
    )
    tags = [f"BENCH-{run}-{n:03d}" for n in range(devices)]
    Device.objects.bulk_create(
        Device(asset_tag=tag, kind=DeviceKind.TABLET, branch=branch) for tag in tags
    )
    clients = []
    for n in range(staff):
        user = User.objects.create_user(
            email=f"bench-lending-{run}-{n}@example.org", password=secrets.token_urlsafe(16)
        )
        Membership.objects.create(
            user=user,
            organisation=branch,
            is_coordinator=True,
            verified_at=timezone.now(),
            verification=Verification.APPROVAL,
        )
        borrower = Borrower.objects.create(name=f"Bench borrower {n}", branch=branch)
        clients.append((issue_api_token(user), borrower.reference))
    return clients, tags


def run_clients(
    base: str, clients: list[tuple[str, str]], tags: list[str], seconds: float
) -> tuple[floor.Figures, Counter[str]]:
    figures = floor.Figures()
    operations: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    start = threading.Barrier(len(clients))

    def call(session: requests.Session, path: str, body: dict) -> requests.Response | None:
        began = time.perf_counter()
        try:
            response = session.post(base + path, json=body, timeout=30)
        except requests.RequestException as error:
            with lock:
                figures.requests += 1
                figures.errors[type(error).__name__] += 1
            return None
        took = time.perf_counter() - began
        with lock:
            figures.requests += 1
            figures.latencies.append(took)
            figures.statuses[response.status_code] += 1
        return response

    def client(token: str, borrower: str, seed: int) -> None:
        chooser = random.Random(seed)  # noqa: S311 - picks devices, not secrets
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        start.wait()
        while time.monotonic() < stop_at:
            tag = chooser.choice(tags)
            lent = call(
                session,
                "/api/v1/lending/loans",
                {"asset_tag": tag, "borrower": borrower, "agreement": "screen"},
            )
            if lent is None or lent.status_code != 201:
                with lock:
                    operations["lend refused (device busy)"] += 1
                continue
            reference = lent.json()["reference"]
            returned = call(
                session, f"/api/v1/lending/loans/{reference}/return", {"condition": "good"}
            )
            checked = call(
                session,
                f"/api/v1/lending/devices/{tag}/wipe-check",
                {"wiped": True, "checked": True, "condition": "good"},
            )
            with lock:
                operations["lend"] += 1
                operations["return"] += bool(returned is not None and returned.ok)
                operations["wipe check"] += bool(checked is not None and checked.ok)

    began = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(token, borrower, n))
        for n, (token, borrower) in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.monotonic() - began
    return figures, operations


def devices_lent_twice(tags: list[str]) -> int:
    """Devices with two loans whose times overlap, or two open at once."""
    from fingerpost.lending.models import Loan

    twice = 0
    loans: dict[int, list[Loan]] = {}
    for loan in Loan.objects.filter(device__asset_tag__in=tags).order_by("issued_at", "pk"):
        loans.setdefault(loan.device_id, []).append(loan)
    for history in loans.values():
        for earlier, later in itertools.pairwise(history):
            if earlier.returned_at is None or earlier.returned_at > later.issued_at:
                twice += 1
                break
    return twice


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-base", type=int, default=8200, help="Fingerpost on it, floor +1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--staff", type=int, default=32)
    parser.add_argument("--devices", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--base-url", help="a Fingerpost already running, instead of starting one")
    args = parser.parse_args(argv)

    floor.bench_environment()
    run = secrets.token_hex(3)
    clients, tags = setup(run, args.staff, args.devices)
    if args.base_url:
        figures, operations = run_clients(args.base_url.rstrip("/"), clients, tags, args.seconds)
    else:
        with floor.serve_fingerpost(args.port_base, args.workers) as server:
            figures, operations = run_clients(
                server.url("").rstrip("/"), clients, tags, args.seconds
            )
            print(server.memory_line())
    base = floor.measure_floor(
        port=args.port_base + 1, workers=args.workers, concurrency=args.staff, seconds=10
    )
    done = operations["lend"] + operations["return"] + operations["wipe check"]
    twice = devices_lent_twice(tags)
    print(
        f"{args.staff} staff clients, {args.devices} devices, {args.workers} workers, "
        f"{figures.seconds:.0f} s"
    )
    print(f"operations: {done / figures.seconds:.1f}/s ({dict(operations)})")
    floor.report([("lending API, every request", figures)], base)
    print(f"devices on two loans at once: {twice}")
    failed = twice or figures.failures
    print("OK" if not failed else "FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
