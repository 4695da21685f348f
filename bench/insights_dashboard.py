"""The insights dashboard at scale: p50/p95 of the dashboard (as the demo
admin, who sees the whole partnership, and as the demo coordinator),
filtered by area and by organisation, the download of every table and the
API, against `fingerpost serve` on PostgreSQL, beside the floor (bench/floor.py:
a bare Django site's no-query and one-query views under the same gunicorn
settings) measured in the same run.

Load the data first (same DATABASE_URL, demo allowed):

    DATABASE_URL=postgres://... fingerpost demo --scale 1700   # ~100,000 requests
    fingerpost collectstatic --no-input   # production settings serve the built files
    DATABASE_URL=postgres://... .venv/bin/python bench/insights_dashboard.py \
        --port-base 8800

It starts both servers itself (ports `--port-base` and the next one). Each
page is loaded by `--concurrency` clients (by default 2, one for each core,
so the figures are the time to answer rather than time queued). Prints the
number of records, each page's figures and whether the dashboard's p50 is
under 500 ms; exits non-zero on any failed answer or a p50 over it.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import floor

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGET_P50_MS = 500


def session_cookie(base: str, email: str) -> str:
    """Sign in through the real form; the Cookie header for the signed-in session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = CSRF.search(page)
    assert token, "no sign-in form"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": "fingerpost-demo"}
    ).encode()
    # The server this bench started, on the loopback address.
    request = urllib.request.Request(  # noqa: S310
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    dashboard = opener.open(f"{base}/dashboard/", timeout=30).read().decode()
    assert "/insights/" in dashboard, f"signing in as {email} failed"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-base", type=int, default=8800)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--requests", type=int, default=40, help="per page")
    args = parser.parse_args()

    floor.bench_environment()
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
    library = Organisation.objects.filter(slug="dorset-libraries").values_list("slug", flat=True)
    base_floor = floor.measure_floor(
        args.port_base, workers=args.workers, concurrency=args.concurrency, seconds=10
    )
    rows = []
    with floor.serve_fingerpost(args.port_base + 1, workers=args.workers) as server:
        base = server.url("").rstrip("/")
        admin = {"Cookie": session_cookie(base, "admin@example.org")}
        coordinator = {"Cookie": session_cookie(base, "coordinator@example.org")}
        pages = [
            ("dashboard, admin", admin, "/insights/"),
            ("dashboard, coordinator", coordinator, "/insights/"),
            ("dashboard, one area", admin, f"/insights/?area={area}"),
            ("dashboard, one organisation", admin, f"/insights/?organisation={library.first()}"),
            ("every table, xlsx", admin, "/insights/?format=xlsx"),
            ("API, admin", admin, "/api/v1/insights/"),
        ]
        for label, headers, path in pages:
            figures = floor.load(
                server.url(path),
                concurrency=args.concurrency,
                seconds=None,
                requests=args.requests,
                headers=headers,
                warmup=4,
            )
            rows.append((label, figures))
        print(server.memory_line())
    floor.report(rows, base_floor)
    failures = sum(f.failures + sum(n for s, n in f.statuses.items() if s != 200) for _, f in rows)
    p50 = 1000 * rows[0][1].p(50)
    within = p50 < TARGET_P50_MS
    print(
        f"dashboard (admin, the whole partnership) p50 {p50:.0f} ms: "
        + ("within" if within else "OVER")
        + f" the {TARGET_P50_MS} ms target"
    )
    print("OK" if not failures and within else "FAILED")
    return 0 if not failures and within else 1


if __name__ == "__main__":
    sys.exit(main())
