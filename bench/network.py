"""The partnership network at scale: an initiative's board page, the topic
list and search, against `fingerpost serve` on PostgreSQL, beside the floor
(bench/floor.py: a bare Django site's no-query and one-query views under
the same gunicorn settings) measured in the same run.

    DATABASE_URL=postgres://... .venv/bin/python bench/network.py \\
        --port-base 8300 --size 100000

It first adds a run's data straight to the tables (tests/network/bulk.py):
`--size` people, topics, resources, search documents and board history
entries, a board with `--open-cards` open cards and `--size` archived ones,
and one signed-in member. Each page is then loaded by `--concurrency`
clients (by default 2, one per core, so the figures are time to answer,
not time queued) for `--requests` requests. Prints each page's figures and
its ratio to the floor, then the workers' memory; exits non-zero on any
failed answer.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import floor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = secrets.token_urlsafe(16)


def setup(run: str, size: int, open_cards: int) -> tuple[str, int, str]:
    """The run's data; (the member's email, the board's id, a topic's address)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()
    from fingerpost.network.services import people
    from tests.factories import OrganisationFactory, UserFactory
    from tests.network import bulk, factories

    started = time.monotonic()
    user = UserFactory(role="member", email=f"network-bench-{run}@example.org")
    user.set_password(PASSWORD)
    user.save()
    people.ensure_profile(user=user)
    organisation = OrganisationFactory()
    bulk.people(size, organisation, start=10_000_000 + 1_000_000 * (hash(run) % 1000))
    topic = bulk.topics_and_posts(size, user)
    bulk.posts_in(topic, 100, user)
    bulk.resources(size, user, start=10_000_000 + 1_000_000 * (hash(run) % 1000))
    bulk.search_documents(size, start=10_000_000 + 1_000_000 * (hash(run) % 1000))
    board = factories.board_of(factories.initiative(by=user, title=f"Bench initiative {run}"))
    bulk.cards(board, size, user, archived_every=1, events=size)
    bulk.cards(board, open_cards, user, archived_every=10**9, events=0)
    print(
        f"set up in {time.monotonic() - started:.0f} s: {size:,} each of people, topics, "
        f"resources, search documents, archived cards and history entries; "
        f"{open_cards:,} open cards on the board"
    )
    return user.email, board.pk, topic.get_absolute_url()


def session_cookie(base: str, email: str) -> str:
    """Sign in through the real form; the Cookie header for the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = CSRF.search(page)
    assert token, "no sign-in form"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": PASSWORD}
    ).encode()
    # The server this bench started, on the loopback address.
    request = urllib.request.Request(  # noqa: S310
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    home = opener.open(f"{base}/network/", timeout=30)
    assert home.status == 200 and "/network/login" not in home.geturl(), "signing in failed"
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-base", type=int, default=8300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--requests", type=int, default=40, help="per page")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--open-cards", type=int, default=200)
    args = parser.parse_args()

    floor.bench_environment()
    run = secrets.token_hex(3)
    email, board, topic = setup(run, args.size, args.open_cards)
    base_floor = floor.measure_floor(
        args.port_base, workers=args.workers, concurrency=args.concurrency, seconds=10
    )
    rows = []
    with floor.serve_fingerpost(args.port_base + 1, workers=args.workers) as server:
        member = {"Cookie": session_cookie(server.url("").rstrip("/"), email)}
        pages = [
            ("board page", f"/network/boards/{board}/"),
            ("board history", f"/network/boards/{board}/history/"),
            ("topic list", "/network/topics/"),
            ("a topic", topic),
            ("search", "/network/search/?q=accessibility"),
            ("search, people", "/network/search/?q=accessibility&kind=person"),
        ]
        for label, path in pages:
            figures = floor.load(
                server.url(path),
                concurrency=args.concurrency,
                seconds=None,
                requests=args.requests,
                headers=member,
                warmup=4,
            )
            rows.append((label, figures))
        print(server.memory_line())
    floor.report(rows, base_floor)
    failures = sum(f.failures + sum(n for s, n in f.statuses.items() if s != 200) for _, f in rows)
    if failures:
        print(f"{failures} answers failed or were not 200")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
