"""The insights dashboard at scale: p50/p95 of the dashboard (as an admin, who
sees the whole partnership, and as the demo coordinator), filtered by area
and by organisation, a download and the API, against a running
`fingerpost serve`, beside a floor measured in the same run under the same
server: a page that makes no query (the accessibility statement, signed out)
and one that makes one (/healthz).

Load the data first (same DATABASE_URL as the server, demo allowed):

    fingerpost demo --scale 1700      # about 100,000 requests for help
    FINGERPOST_REQUIRE_MFA=false fingerpost serve --port 8800 &
    .venv/bin/python bench/insights_dashboard.py --base-url http://127.0.0.1:8800

Prints the numbers of records in the database and the latency figures for
each page; exits non-zero if any response is not 200.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGET_P50_MS = 500


def sign_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = CSRF.search(page.text)
    assert token, "no sign-in form"
    session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "login": email,
            "password": "fingerpost-demo",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    assert "/insights/" in session.get(f"{base}/dashboard/", timeout=30).text, (
        f"signing in as {email} failed; is FINGERPOST_REQUIRE_MFA=false?"
    )
    return session


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL", "http://127.0.0.1:8800"))
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()
    from fingerpost.events.models import Booking, Event
    from fingerpost.helpdesk.models import HelpRequest
    from fingerpost.organisations.models import Area, Organisation
    from fingerpost.skills.models import SkillsCheckResult

    print(
        f"in the database: {HelpRequest.objects.count():,} requests for help, "
        f"{Event.objects.count():,} events, {Booking.objects.count():,} bookings, "
        f"{SkillsCheckResult.objects.count():,} skills checks"
    )
    area = Area.objects.order_by("name").values_list("slug", flat=True).first() or ""
    library = (
        Organisation.objects.filter(slug="dorset-libraries").values_list("slug", flat=True).first()
        or ""
    )
    anonymous = [requests.Session() for _ in range(args.concurrency)]
    admins = [sign_in(base, "admin@example.org") for _ in range(args.concurrency)]
    coordinators = [sign_in(base, "coordinator@example.org") for _ in range(args.concurrency)]
    pages = [
        ("floor: no query", anonymous, "/accessibility/"),
        ("floor: one query", anonymous, "/healthz"),
        ("dashboard, admin", admins, "/insights/"),
        ("dashboard, coordinator", coordinators, "/insights/"),
        ("by area", admins, f"/insights/?area={area}"),
        ("one organisation", admins, f"/insights/?organisation={library}"),
        ("all tables, xlsx", admins, "/insights/?format=xlsx"),
        ("API", admins, "/api/v1/insights/"),
    ]
    failures = 0
    dashboard_p50 = 0.0
    for label, sessions, path in pages:

        def fetch(
            n: int, path: str = path, sessions: list[requests.Session] = sessions
        ) -> tuple[int, float]:
            start = time.perf_counter()
            response = sessions[n % len(sessions)].get(base + path, timeout=60)
            return response.status_code, time.perf_counter() - start

        fetch(0)  # warm this page's caches (templates, the database's buffers)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(fetch, range(args.requests)))
        times = [t for _, t in results]
        bad = sum(status != 200 for status, _ in results)
        failures += bad
        p50 = 1000 * percentile(times, 50)
        if label == "dashboard, admin":
            dashboard_p50 = p50
        print(
            f"{label:24} {args.requests:4} requests, concurrency {args.concurrency}: "
            f"p50 {p50:.0f} ms, p95 {1000 * percentile(times, 95):.0f} ms"
            + (f", {bad} not 200" if bad else "")
        )
    within = dashboard_p50 < TARGET_P50_MS
    print(
        f"dashboard p50 {dashboard_p50:.0f} ms: "
        + ("within" if within else "OVER")
        + f" the {TARGET_P50_MS} ms target"
    )
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
