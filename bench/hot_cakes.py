"""Hot cakes: many different people try to book a 40-place event at once,
through the real HTML booking form or the booking API of `fingerpost serve`.

Usage (see docs/operations.md for the production-like environment):

    # Start the floor and fingerpost serve itself, three rounds of each flow:
    DATABASE_URL=postgres://... .venv/bin/python bench/hot_cakes.py \
        --port-base 8700 --rounds 3 --mode api --people 400 --concurrency 32
    DATABASE_URL=postgres://... .venv/bin/python bench/hot_cakes.py \
        --port-base 8700 --rounds 3 --mode html --people 1000 --concurrency 64
    # Or against a server already running (no floor, no memory figures):
    .venv/bin/python bench/hot_cakes.py --base-url http://127.0.0.1:8000

The script creates each round's event through the ORM (so it needs the same
DATABASE_URL as the server). In `html` mode each simulated person GETs the
booking page, POSTs their details with the CSRF token, GETs "check your
answers", POSTs the final form and GETs the confirmation; in `api` mode each
sends one POST to /api/v1/events/<id>/bookings. It prints the outcome,
requests/s and latency, with --port-base the floor of the same run beside
them (bench/floor.py) and each worker's resident memory after each round. It
exits non-zero if more than the capacity are confirmed, any request answered
5xx, the waiting list is not in arrival order, or anyone holds two bookings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

import floor

KEY_PATTERN = re.compile(r'name="submission_key" value="([^"]+)"')
CSRF_PATTERN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Outcome:
    person: int
    email: str
    status: str = "error"
    started: float = 0.0
    final_sent: float = 0.0
    finished: float = 0.0
    latencies: list[float] = field(default_factory=list)
    server_errors: int = 0
    detail: str = ""


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()


def create_event(capacity: int) -> int:
    from django.utils import timezone

    from fingerpost.accounts.models import User
    from fingerpost.events.models import Event

    # The organiser only owns the event here: no role is needed for that.
    organiser, _ = User.objects.get_or_create(
        email="bench-organiser@example.org", defaults={"full_name": "Bench Organiser"}
    )
    starts = timezone.now() + timedelta(days=14)
    event = Event.objects.create(
        title=f"Hot cakes networking {timezone.now():%H:%M:%S}",
        summary="A benchmark event whose places go at once.",
        kind="networking",
        audience="public",  # anyone may book without signing in
        status="published",
        venue_name="County Hall",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=capacity,
        organiser=organiser,
        contact_email="events@example.org",
    )
    return event.pk


class Browser:
    """One person's browser: cookies kept between pages, each request on a
    new connection through the floor's asyncio client (bench/floor.py), so the
    load generator costs as little here as when it measures the floor."""

    def __init__(self, base_url: str, outcome: Outcome) -> None:
        self.base_url = base_url
        self.outcome = outcome
        self.cookies: dict[str, str] = {}

    async def request(
        self, method: str, path: str, *, form: dict[str, str] | None = None, json_body=None
    ) -> tuple[int, dict[str, str], str]:
        headers = {}
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base_url + path
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        host, port, raw = floor.build_request(self.base_url + path, method, headers, body)
        start = time.perf_counter()
        status, head, content = await asyncio.wait_for(floor.exchange(host, port, raw), 60)
        self.outcome.latencies.append(time.perf_counter() - start)
        if status >= 500:
            self.outcome.server_errors += 1
        found: dict[str, str] = {}
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "set-cookie":
                cookie = value.strip().split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val and val != '""':
                    self.cookies[key] = val
                else:
                    self.cookies.pop(key, None)
            elif name:
                found[name] = value.strip()
        return status, found, content.decode("utf-8", "replace")


async def book_one(base_url: str, event_id: int, person: int, run: str) -> Outcome:
    outcome = Outcome(person=person, email=f"hotcakes-{run}-{person}@example.org")
    outcome.started = time.perf_counter()
    browser = Browser(base_url, outcome)
    book_path = f"/events/{event_id}/book/"
    check_path = f"/events/{event_id}/book/check/"
    try:
        status, _, page = await browser.request("GET", book_path)
        token = CSRF_PATTERN.search(page)
        if status != 200 or token is None:
            outcome.detail = f"booking page answered {status}"
            return outcome
        details = {
            "csrfmiddlewaretoken": token.group(1),
            "name": f"Person {person}",
            "email": outcome.email,
            "organisation_name": "Bench Borough Council",
        }
        status, _, _ = await browser.request("POST", book_path, form=details)
        if status != 302:
            outcome.detail = f"details answered {status}"
            return outcome
        status, _, check = await browser.request("GET", check_path)
        key = KEY_PATTERN.search(check)
        token = CSRF_PATTERN.search(check)
        if key is None or token is None:
            outcome.detail = f"check page answered {status}"
            return outcome
        outcome.final_sent = time.perf_counter()
        final = {"csrfmiddlewaretoken": token.group(1), "submission_key": key.group(1)}
        status, headers, _ = await browser.request("POST", check_path, form=final)
        outcome.finished = time.perf_counter()
        if status != 302:
            outcome.detail = f"booking answered {status}"
            return outcome
        status, _, done = await browser.request("GET", headers["location"])
        if "Your place is booked" in done:
            outcome.status = "confirmed"
        elif "You are on the waiting list" in done:
            outcome.status = "waiting"
        else:
            outcome.detail = f"confirmation page answered {status}"
    except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
        outcome.detail = f"{type(error).__name__}: {error}"
    return outcome


async def book_by_api(base_url: str, event_id: int, person: int, run: str) -> Outcome:
    outcome = Outcome(person=person, email=f"hotcakes-{run}-{person}@example.org")
    outcome.started = outcome.final_sent = time.perf_counter()
    browser = Browser(base_url, outcome)
    body = {"name": f"Person {person}", "email": outcome.email, "organisation": "Bench"}
    try:
        status, _, answer = await browser.request(
            "POST", f"/api/v1/events/{event_id}/bookings", json_body=body
        )
        outcome.finished = time.perf_counter()
        if status == 201:
            outcome.status = json.loads(answer)["status"]
            if outcome.status not in ("confirmed", "waiting"):
                outcome.detail = f"booking status {outcome.status}"
                outcome.status = "error"
        else:
            outcome.detail = f"booking answered {status}: {answer[:200]}"
    except (OSError, TimeoutError, asyncio.IncompleteReadError) as error:
        outcome.detail = f"{type(error).__name__}: {error}"
    return outcome


percentile = floor.percentile


def check_database(event_id: int, outcomes: list[Outcome], capacity: int) -> list[str]:
    from django.db.models import Count, Sum

    from fingerpost.events.models import Booking

    problems: list[str] = []
    bookings = Booking.objects.filter(event_id=event_id)
    confirmed = bookings.filter(status="confirmed").aggregate(places=Sum("places"))["places"] or 0
    if confirmed > capacity:
        problems.append(f"{confirmed} places confirmed for a {capacity}-place event")
    doubles = bookings.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
    if doubles:
        problems.append(f"{doubles} people hold more than one booking")
    positions = dict(bookings.values_list("email", "queue_position"))
    # Arrival order as the clients saw it: if A's booking request finished
    # before B's was sent, A must be ahead of B in the queue.
    finished = sorted(
        (o for o in outcomes if o.email in positions and o.finished),
        key=lambda o: o.finished,
    )
    sent = sorted(finished, key=lambda o: o.final_sent)
    out_of_order = 0
    best_before = -1
    j = 0
    for later in sent:
        while j < len(finished) and finished[j].finished < later.final_sent:
            best_before = max(best_before, positions[finished[j].email])
            j += 1
        if positions[later.email] < best_before:
            out_of_order += 1
    if out_of_order:
        problems.append(f"{out_of_order} people were queued ahead of someone served before them")
    waiting = list(
        bookings.filter(status="waiting")
        .order_by("queue_position")
        .values_list("created_at", flat=True)
    )
    if waiting != sorted(waiting):
        problems.append("the waiting list is not in the order people were served")
    return problems


def run_round(args: argparse.Namespace, base_url: str) -> tuple[list[Outcome], float, int]:
    event_id = create_event(args.capacity)
    run = f"{int(time.time() * 1000)}"
    book = book_by_api if args.mode == "api" else book_one
    base = base_url.rstrip("/")

    async def everyone() -> list[Outcome]:
        # `concurrency` people at a time, the first wave starting together;
        # each next person starts as soon as someone finishes.
        queue = iter(range(args.people))
        outcomes: list[Outcome] = []

        async def slot() -> None:
            for n in queue:
                outcomes.append(await book(base, event_id, n, run))

        await asyncio.gather(*(slot() for _ in range(min(args.concurrency, args.people))))
        return outcomes

    began = time.perf_counter()
    cpu = time.process_time()
    outcomes = asyncio.run(everyone())
    elapsed = time.perf_counter() - began
    used = time.process_time() - cpu
    print(f"  (the load generator used {used:.1f} s of CPU in {elapsed:.1f} s)")
    return sorted(outcomes, key=lambda o: o.person), elapsed, event_id


def report_round(
    args: argparse.Namespace, outcomes: list[Outcome], elapsed: float, event_id: int
) -> tuple[list[str], floor.Figures]:
    confirmed = sum(o.status == "confirmed" for o in outcomes)
    waitlisted = sum(o.status == "waiting" for o in outcomes)
    errors = [o for o in outcomes if o.status == "error"]
    server_errors = sum(o.server_errors for o in outcomes)
    latencies = [t for o in outcomes for t in o.latencies]
    flows = [o.finished - o.started for o in outcomes if o.finished]
    first_start = min(o.started for o in outcomes)
    last_place = max(
        (o.finished - first_start for o in outcomes if o.status == "confirmed"), default=0.0
    )
    print(f"event {event_id}: {args.capacity} places, {args.people} people, {args.mode},", end=" ")
    print(f"concurrency {args.concurrency}")
    print(f"  confirmed {confirmed}, waitlisted {waitlisted}, errors {len(errors)}", end="")
    print(f" (5xx responses: {server_errors}); last place gone after {last_place:.2f} s")
    for outcome in errors[:5]:
        print(f"  person {outcome.person}: {outcome.detail}")
    print(
        f"  {len(latencies) / elapsed:.1f} requests/s, {len(flows) / elapsed:.1f} bookings/s;"
        " request p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms".format(
            *(1000 * percentile(latencies, p) for p in (50, 95, 99))
        )
    )
    if args.mode == "html" and flows:
        print(
            "  whole booking (five pages): p50 {:.0f} ms, p95 {:.0f} ms, p99 {:.0f} ms".format(
                *(1000 * percentile(flows, p) for p in (50, 95, 99))
            )
        )
    problems = check_database(event_id, outcomes, args.capacity)
    if confirmed > args.capacity:
        problems.append(f"{confirmed} people were told they have a place")
    if server_errors:
        problems.append(f"{server_errors} requests failed with a 5xx")
    if errors:
        problems.append(f"{len(errors)} people could not complete the booking flow")
    figures = floor.Figures(requests=len(latencies), seconds=elapsed, latencies=latencies)
    figures.statuses[200] = len(latencies)
    return problems, figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL", ""))
    parser.add_argument(
        "--port-base", type=int, default=0, help="start the floor here and Fingerpost on +1"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--mode", choices=["html", "api"], default="html")
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--capacity", type=int, default=40)
    parser.add_argument("--floor-seconds", type=float, default=8.0)
    args = parser.parse_args()
    if not args.base_url and not args.port_base:
        args.base_url = "http://127.0.0.1:8000"

    floor.bench_environment()
    setup_django()
    problems: list[str] = []
    with contextlib.ExitStack() as stack:
        server = floor_server = None
        if args.port_base:
            floor_server = stack.enter_context(floor.serve_floor(args.port_base, args.workers))
            server = stack.enter_context(floor.serve_fingerpost(args.port_base + 1, args.workers))
        base_url = args.base_url or (server.url("") if server else "")
        for number in range(1, args.rounds + 1):
            with open("/proc/loadavg") as loadavg:
                print(f"round {number} (load average {loadavg.read().split()[0]})")
            outcomes, elapsed, event_id = run_round(args, base_url)
            found, figures = report_round(args, outcomes, elapsed, event_id)
            problems += found
            if floor_server is not None and server is not None:
                base = floor.measure_floor(
                    server=floor_server, concurrency=args.concurrency, seconds=args.floor_seconds
                )
                label = "booking API POST" if args.mode == "api" else "booking flow requests"
                floor.report([(label, figures)], base)
                print(f"  {server.memory_line()}")
    for problem in problems:
        print(f"FAIL: {problem}")
    print("OK" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
