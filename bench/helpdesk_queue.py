"""The coordinator's queue at scale: p50/p95 of the triage queue and a request
page against a running `fingerpost serve`, signed in as the demo coordinator.

Load the data first (same DATABASE_URL as the server, demo allowed):

    fingerpost demo --scale 1700      # about 100,000 requests for help
    .venv/bin/python bench/helpdesk_queue.py --base-url http://127.0.0.1:8000
    # or start the floor and fingerpost serve here (bench/floor.py):
    .venv/bin/python bench/helpdesk_queue.py --port-base 8700

Prints the number of requests in the database and the latency figures for
each page (with --port-base, the floor's one-query view beside them and the
workers' memory); exits non-zero if any response is not 200.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import floor
import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE = re.compile(r'href="/help-requests/(H[A-Z0-9]+)/"')


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=30)
    token = CSRF.search(page.text)
    assert token, "no sign-in form"
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token.group(1),
            "login": "coordinator@example.org",
            "password": "fingerpost-demo",
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    assert "/help-requests/" in session.get(f"{base}/dashboard/", timeout=30).text, (
        f"sign-in failed ({response.status_code}); is FINGERPOST_REQUIRE_MFA=false?"
    )
    return session


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL", ""))
    parser.add_argument("--port-base", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    floor.bench_environment()
    with contextlib.ExitStack() as stack:
        server = floor_server = None
        if args.port_base:
            floor_server = stack.enter_context(floor.serve_floor(args.port_base, args.workers))
            server = stack.enter_context(floor.serve_fingerpost(args.port_base + 1, args.workers))
        base = (args.base_url or (server.url("") if server else "http://127.0.0.1:8000")).rstrip(
            "/"
        )
        failures = measure(args, base)
        if floor_server is not None and server is not None:
            one = floor.load(
                floor_server.url("/one-query"), concurrency=args.concurrency, seconds=5, warmup=50
            )
            print(f"floor: one-query view, concurrency {args.concurrency}: {one.line()}")
            print(server.memory_line())
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


def measure(args: argparse.Namespace, base: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()
    from fingerpost.helpdesk.models import HelpRequest

    print(f"requests for help in the database: {HelpRequest.objects.count()}")
    sessions = [sign_in(base) for _ in range(args.concurrency)]
    first = sessions[0].get(f"{base}/help-requests/", timeout=60).text
    reference = REFERENCE.search(first)
    assert reference, "the queue shows no requests"
    pages = {
        "queue": "/help-requests/",
        "queue, filtered": "/help-requests/?need=email&priority=2&older_than_days=2",
        "queue, page 50": "/help-requests/?page=50",
        "request": f"/help-requests/{reference.group(1)}/",
        "report": "/help-requests/reports/",
    }
    failures = 0
    for label, path in pages.items():

        def fetch(n: int, path: str = path) -> tuple[int, float]:
            start = time.perf_counter()
            response = sessions[n % len(sessions)].get(base + path, timeout=60)
            return response.status_code, time.perf_counter() - start

        count = args.requests if label != "report" else max(20, args.requests // 10)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            results = list(pool.map(fetch, range(count)))
        times = [t for _, t in results]
        bad = sum(status != 200 for status, _ in results)
        failures += bad
        print(
            f"{label:16} {count:4} requests, concurrency {args.concurrency}: "
            f"p50 {1000 * percentile(times, 50):.0f} ms, p95 {1000 * percentile(times, 95):.0f} ms"
            + (f", {bad} not 200" if bad else "")
        )
    return failures


if __name__ == "__main__":
    sys.exit(main())
