"""The coordinator's help desk at scale: p50/p99 of the triage queue, the
queue filtered, a request page and the report against `fingerpost serve`,
signed in as the demo coordinator, at each number of requests asked for,
and each page's p50 as a ratio to the same page at the smallest number.

Run `fingerpost demo` first (same DATABASE_URL, demo allowed); the bench
adds or removes its own requests (bench/helpdesk_data.py, in bulk) to reach
each size:

    .venv/bin/python bench/helpdesk_queue.py --port-base 8730 --sizes 100,100000
    # against a server already running, at whatever the database holds:
    .venv/bin/python bench/helpdesk_queue.py --base-url http://127.0.0.1:8000

The report is measured as in production (its figures kept for
FINGERPOST_HELPDESK_REPORT_SECONDS, 60, in the cache, which is emptied at
each size; set CACHE_URL to share it between workers), or with --exact-report
counted again on every visit. Exits non-zero if any response is not 200.
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
    parser.add_argument("--requests", type=int, default=400, help="HTTP requests per page")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--sizes",
        default="",
        help="numbers of requests for help to measure at, such as 100,100000 (bench data)",
    )
    parser.add_argument(
        "--exact-report", action="store_true", help="work the report out on every visit"
    )
    args = parser.parse_args()
    if args.exact_report:
        os.environ["FINGERPOST_HELPDESK_REPORT_SECONDS"] = "0"
    floor.bench_environment()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    with contextlib.ExitStack() as stack:
        server = floor_server = None
        if args.port_base:
            floor_server = stack.enter_context(floor.serve_floor(args.port_base, args.workers))
            server = stack.enter_context(floor.serve_fingerpost(args.port_base + 1, args.workers))
        base = (args.base_url or (server.url("") if server else "http://127.0.0.1:8000")).rstrip(
            "/"
        )
        runs: list[tuple[int, dict[str, tuple[float, float]]]] = []
        failures = 0
        for size in sizes or [0]:
            count, figures, bad = measure(args, base, size)
            runs.append((count, figures))
            failures += bad
        if len(runs) > 1:
            print_ratios(runs)
        if floor_server is not None and server is not None:
            one = floor.load(
                floor_server.url("/one-query"), concurrency=args.concurrency, seconds=5, warmup=50
            )
            print(f"floor: one-query view, concurrency {args.concurrency}: {one.line()}")
            print(server.memory_line())
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


def print_ratios(runs: list[tuple[int, dict[str, tuple[float, float]]]]) -> None:
    # Against the smallest, whichever order the sizes were measured in.
    (small, first), *others = sorted(runs, key=lambda run: run[0])
    for count, figures in others:
        print(f"p50 at {count} requests / p50 at {small} (aim: at most 1.5):")
        for label, (p50, _) in figures.items():
            ratio = p50 / first[label][0] if first[label][0] else 0.0
            print(f"  {label:18} {ratio:5.2f}" + ("" if ratio <= 1.5 else "  over 1.5"))


def measure(
    args: argparse.Namespace, base: str, size: int
) -> tuple[int, dict[str, tuple[float, float]], int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import close_old_connections

    from fingerpost.helpdesk.models import HelpRequest, Status
    from fingerpost.organisations.models import Area

    if size:
        import helpdesk_data

        made = helpdesk_data.ensure_requests(size)
        print(f"bench data: {made['requests']} requests for help in {made['seconds']:.1f} s")
        # No figures kept from the last size (the workers' own caches are
        # in their processes: use a shared CACHE_URL with several sizes).
        cache.clear()
    close_old_connections()
    count = HelpRequest.objects.count()
    print(f"requests for help in the database: {count}")
    sessions = [sign_in(base) for _ in range(args.concurrency)]
    first = sessions[0].get(f"{base}/help-requests/", timeout=60).text
    shown = REFERENCE.search(first)
    assert shown, "the queue shows no requests"
    # The same request at every size (the bench keeps its first requests when
    # it shrinks), so the request page compares like with like.
    reference = (
        HelpRequest.objects.filter(reference__startswith="HB")
        .exclude(status=Status.CLOSED)
        .order_by("pk")
        .values_list("reference", flat=True)
        .first()
    ) or shown.group(1)
    town = Area.objects.order_by("pk").values_list("name", flat=True).first() or "Weymouth"
    pages = {
        "queue": "/help-requests/",
        "queue, status+area": f"/help-requests/?status={Status.TRIAGED}&area={town}",
        "queue, need+age": "/help-requests/?need=email&priority=2&older_than_days=2",
        "queue, page 50": "/help-requests/?page=50",
        "request": f"/help-requests/{reference}/",
        "report": "/help-requests/reports/",
    }
    failures = 0
    figures: dict[str, tuple[float, float]] = {}
    for label, path in pages.items():

        def fetch(n: int, path: str = path) -> tuple[int, float]:
            start = time.perf_counter()
            response = sessions[n % len(sessions)].get(base + path, timeout=60)
            return response.status_code, time.perf_counter() - start

        count_http = args.requests if label != "report" else max(40, args.requests // 4)
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(fetch, range(args.concurrency)))  # warm up, not counted
            results = list(pool.map(fetch, range(count_http)))
        times = [t for _, t in results]
        bad = sum(status != 200 for status, _ in results)
        failures += bad
        figures[label] = (percentile(times, 50), percentile(times, 99))
        print(
            f"{count:7} | {label:18} {count_http:4} requests, concurrency {args.concurrency}: "
            f"p50 {1000 * figures[label][0]:.0f} ms, p99 {1000 * figures[label][1]:.0f} ms"
            + (f", {bad} not 200" if bad else "")
        )
    return count, figures, failures


if __name__ == "__main__":
    sys.exit(main())
