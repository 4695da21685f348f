"""Faults: do booking emails survive a killed worker, a mail-server outage, a
database restart and a mail server that refuses?

Usage:

    .venv/bin/python bench/faults.py [--port-base 8200] [--json results.json]

The script starts everything it needs and stops it afterwards: a throwaway
PostgreSQL cluster (initdb into a temporary folder, on port-base + 32; never
the machine's own PostgreSQL), an SMTP sink (aiosmtpd, port-base + 25),
`fingerpost serve` (port-base + 1) and `fingerpost worker`. Clients book
through the JSON API, with an Idempotency-Key they repeat when a request
fails, as the API asks. Every booking has its own address, so the sink can
count what arrived for each one.

Scenarios:
1. kill: the worker is killed (SIGKILL) again and again while it sends, and
   started again 0.2 s later under the same --worker-id (as systemd would).
2. mail-outage: the SMTP sink is stopped for 8 s while people book.
3. database-restart: 32 clients book and read while PostgreSQL restarts.
   The worker is NOT restarted by the bench: it must recover by itself.
4. refusals: the mail server greylists (451) the first try of every third
   address and refuses (550) five addresses that do not exist.

For each it prints: emails expected (one per booking committed), delivered
once, delivered twice, lost, refused addresses (the 550s, which can never be
delivered and must show as failed), recovery time, and the API's 5xx answers
(and how many of them were not JSON). It exits non-zero when any email is
lost or sent twice.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-only-" + "x" * 50


# ---------------------------------------------------------------- the SMTP sink


class SinkHandler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.greylisted: set[str] = set()
        self.greylist = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.split("@")[0].endswith("-nobody"):
            return "550 5.1.1 No such user here"
        if self.greylist and hash(address) % 3 == 0 and address not in self.greylisted:
            self.greylisted.add(address)
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient.lower(), str(message.get("Message-ID", ""))))
        return "250 Message accepted for delivery"

    def count_for(self, prefix: str) -> Counter[str]:
        with self.lock:
            return Counter(r for r, _ in self.received if r.startswith(prefix))


class Sink:
    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = SinkHandler()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# ---------------------------------------------------------------- PostgreSQL


class ThrowawayPostgres:
    """A cluster of its own, owned by the postgres user, in a temporary folder."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.folder = folder
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = Path(binaries[-1]).parent
        self.data = folder / "data"

    def _as_postgres(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
        )
        self._pg_ctl("start")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=200"
        )
        self._as_postgres(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            action,
            *extra,
        )

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._pg_ctl("stop", "-m", "immediate")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------- Fingerpost


@dataclass
class Fingerpost:
    env: dict[str, str]
    web_port: int
    worker_id: str = "bench-worker-1"
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None
    worker_exits: int = 0
    stopping: bool = False
    logs: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "fingerpost.manage", *args],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        return done.stdout.decode()

    def start_server(self) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-m", "fingerpost.manage", "serve"],
            env=self.env,
            stdout=open(self.logs / "serve.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise SystemExit("fingerpost serve did not start (see serve.log)")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def start_worker(self) -> None:
        if self.stopping:
            return
        self.worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fingerpost.manage",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--worker-id",
                self.worker_id,
            ],
            env=self.env,
            stdout=open(self.logs / "worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )

    def worker_running(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

    def kill_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait()

    def ensure_worker(self) -> bool:
        """Start the worker if it stopped by itself; True when that was needed (a manual step)."""
        if self.worker_running():
            return False
        self.worker_exits += 1
        self.start_worker()
        return True

    def stop(self) -> None:
        self.stopping = True
        for process in (self.worker, self.server):
            if process is not None and process.poll() is None:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=20)
                if process.poll() is None:
                    process.kill()


# ---------------------------------------------------------------- load


@dataclass
class Load:
    base: str
    event_id: int
    prefix: str
    booked: int = 0
    gave_up: int = 0
    server_errors: int = 0
    html_errors: int = 0
    connection_errors: int = 0
    reads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ok_times: list[float] = field(default_factory=list)

    def book(self, n: int, *, address: str | None = None) -> None:
        person = address or f"{self.prefix}{n}@example.org"
        key = uuid.uuid4().hex
        session = requests.Session()
        for _attempt in range(60):
            try:
                response = session.post(
                    f"{self.base}/api/v1/events/{self.event_id}/bookings",
                    json={"name": f"Person {n}", "email": person},
                    headers={"Idempotency-Key": key},
                    timeout=15,
                )
            except requests.RequestException:
                with self.lock:
                    self.connection_errors += 1
                time.sleep(0.25)
                continue
            if response.status_code >= 500:
                with self.lock:
                    self.server_errors += 1
                    if not response.headers.get("Content-Type", "").startswith("application/json"):
                        self.html_errors += 1
                time.sleep(0.25)
                continue
            with self.lock:
                self.ok_times.append(time.monotonic())
                if response.status_code in (200, 201):
                    self.booked += 1
            return
        with self.lock:
            self.gave_up += 1

    def read(self) -> None:
        try:
            response = requests.get(f"{self.base}/api/v1/events/{self.event_id}", timeout=15)
        except requests.RequestException:
            with self.lock:
                self.connection_errors += 1
            return
        with self.lock:
            self.reads += 1
            if response.status_code < 500:
                self.ok_times.append(time.monotonic())
            if response.status_code >= 500:
                self.server_errors += 1
                if not response.headers.get("Content-Type", "").startswith("application/json"):
                    self.html_errors += 1


def run_clients(
    load: Load, *, bookers: int, readers: int, bookings: int, duration: float | None = None
) -> None:
    counter = iter(range(bookings))
    counter_lock = threading.Lock()
    stop_at = time.monotonic() + duration if duration else None

    def booker() -> None:
        while True:
            with counter_lock:
                n = next(counter, None)
            if n is None:
                return
            load.book(n)
            if stop_at and time.monotonic() > stop_at:
                return

    def reader() -> None:
        while stop_at and time.monotonic() < stop_at:
            load.read()

    threads = [threading.Thread(target=booker) for _ in range(bookers)]
    threads += [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# ---------------------------------------------------------------- counting


def expected_addresses(database_url: str, prefix: str) -> set[str]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT email FROM events_booking"
            " WHERE email LIKE %s AND status IN ('confirmed', 'waiting')",
            (prefix + "%",),
        ).fetchall()
    return {row[0] for row in rows}


def wait_for_mail(
    sink: Sink, expected: set[str], prefix: str, *, since: float, patience: float
) -> float | None:
    """Seconds from `since` until every expected address had its email; None
    when some never came (nothing new arrived for `patience` seconds)."""
    seen = -1
    last_progress = time.monotonic()
    while time.monotonic() - last_progress < patience:
        received = sink.handler.count_for(prefix)
        if expected <= set(received):
            return time.monotonic() - since
        if len(received) != seen:
            seen = len(received)
            last_progress = time.monotonic()
        time.sleep(0.25)
    return None


@dataclass
class Result:
    scenario: str
    expected: int
    once: int
    twice: int
    lost: int
    refused: int
    recovery_seconds: float | None
    server_errors: int
    html_errors: int
    worker_restarted_by_hand: bool
    note: str = ""


def tally(
    scenario: str,
    sink: Sink,
    expected: set[str],
    prefix: str,
    recovery: float | None,
    load: Load,
    manual: bool,
    note: str = "",
) -> Result:
    received = sink.handler.count_for(prefix)
    deliverable = {a for a in expected if not a.split("@")[0].endswith("-nobody")}
    return Result(
        scenario=scenario,
        expected=len(deliverable),
        once=sum(1 for a in deliverable if received.get(a, 0) == 1),
        twice=sum(1 for a in deliverable if received.get(a, 0) >= 2),
        lost=sum(1 for a in deliverable if received.get(a, 0) == 0),
        refused=len(expected - deliverable),
        recovery_seconds=None if recovery is None else round(recovery, 1),
        server_errors=load.server_errors,
        html_errors=load.html_errors,
        worker_restarted_by_hand=manual,
        note=note,
    )


# ---------------------------------------------------------------- scenarios


def create_event(app: Fingerpost) -> int:
    code = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from fingerpost.accounts.models import User; "
        "from fingerpost.events.models import Event; "
        "o, _ = User.objects.get_or_create(email='bench-organiser@example.org', "
        "defaults={'full_name': 'Bench', 'role': 'organiser'}); "
        "s = timezone.now() + timedelta(days=14); "
        "e = Event.objects.create(title='Fault bench', summary='Bench', kind='networking', "
        "audience='staff', status='published', venue_name='Hall', starts_at=s, "
        "ends_at=s + timedelta(hours=2), capacity=100000, max_places_per_booking=1, "
        "organiser=o, contact_email='events@example.org'); print(e.pk)"
    )
    return int(app.manage("shell", "-c", code).strip().splitlines()[-1])


def scenario_kill(
    app: Fingerpost, sink: Sink, db: str, event_id: int, run: str, patience: float
) -> Result:
    prefix = f"{run}-kill-"
    load = Load(app.base, event_id, prefix)
    manual = app.ensure_worker()
    stop = threading.Event()
    kills = 0

    def killer() -> None:
        nonlocal kills
        while not stop.is_set():
            # Kill it while it sends: once a new email has arrived since it
            # (re)started, at a random moment in the next second.
            before = sum(sink.handler.count_for(prefix).values())
            deadline = time.monotonic() + 30
            while sum(sink.handler.count_for(prefix).values()) == before:
                if stop.is_set() or time.monotonic() > deadline:
                    return
                time.sleep(0.02)
            time.sleep(random.uniform(0.0, 1.0))  # noqa: S311
            app.kill_worker()
            kills += 1
            time.sleep(0.2)  # systemd's RestartSec
            app.start_worker()

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    run_clients(load, bookers=8, readers=0, bookings=400)
    # Keep killing while the backlog is sent.
    deadline = time.monotonic() + 120
    while kills < 10 and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.5)
    stop.set()
    thread.join()
    last_kill = time.monotonic()
    expected = expected_addresses(db, prefix)
    recovery = wait_for_mail(sink, expected, prefix, since=last_kill, patience=patience)
    return tally(
        "kill the worker", sink, expected, prefix, recovery, load, manual, f"{kills} kills"
    )


def scenario_mail_outage(
    app: Fingerpost, sink: Sink, db: str, event_id: int, run: str, patience: float
) -> Result:
    prefix = f"{run}-outage-"
    load = Load(app.base, event_id, prefix)
    manual = app.ensure_worker()
    sink.stop()
    down_at = time.monotonic()
    run_clients(load, bookers=4, readers=0, bookings=100, duration=8)
    time.sleep(max(0.0, down_at + 8 - time.monotonic()))
    sink.start()
    back = time.monotonic()
    expected = expected_addresses(db, prefix)
    recovery = wait_for_mail(sink, expected, prefix, since=back, patience=patience)
    return tally("mail server down 8 s", sink, expected, prefix, recovery, load, manual)


def scenario_database_restart(
    app: Fingerpost,
    sink: Sink,
    pg: ThrowawayPostgres,
    db: str,
    event_id: int,
    run: str,
    patience: float,
) -> Result:
    prefix = f"{run}-restart-"
    load = Load(app.base, event_id, prefix)
    manual = app.ensure_worker()
    restart_at: dict[str, float] = {}

    def restart() -> None:
        time.sleep(3)
        restart_at["start"] = time.monotonic()
        pg.restart()
        restart_at["done"] = time.monotonic()

    thread = threading.Thread(target=restart, daemon=True)
    thread.start()
    run_clients(load, bookers=16, readers=16, bookings=100000, duration=12)
    thread.join()
    expected = expected_addresses(db, prefix)
    recovery = wait_for_mail(sink, expected, prefix, since=restart_at["start"], patience=patience)
    worker_alive = app.worker_running()
    web_back = min((t for t in load.ok_times if t > restart_at["done"]), default=None)
    web = "never" if web_back is None else f"{web_back - restart_at['start']:.1f} s"
    note = (
        f"restart took {restart_at['done'] - restart_at['start']:.1f} s; web answered again "
        f"after {web}; worker {'kept running' if worker_alive else 'exited'}"
    )
    return tally(
        "database restart under load", sink, expected, prefix, recovery, load, manual, note
    )


def scenario_refusals(
    app: Fingerpost, sink: Sink, db: str, event_id: int, run: str, patience: float
) -> Result:
    prefix = f"{run}-refuse-"
    load = Load(app.base, event_id, prefix)
    manual = app.ensure_worker()
    sink.handler.greylist = True
    run_clients(load, bookers=4, readers=0, bookings=60)
    for n in range(5):
        load.book(1000 + n, address=f"{prefix}{n}-nobody@example.org")
    done = time.monotonic()
    expected = expected_addresses(db, prefix)
    deliverable = {a for a in expected if not a.split("@")[0].endswith("-nobody")}
    recovery = wait_for_mail(sink, deliverable, prefix, since=done, patience=patience)
    sink.handler.greylist = False
    return tally(
        "mail server refuses (451 and 550)", sink, expected, prefix, recovery, load, manual
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port-base", type=int, default=8200)
    parser.add_argument(
        "--patience",
        type=float,
        default=30,
        help="give up waiting for mail after this long without any arriving",
    )
    parser.add_argument("--json", help="write the results here too")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    args = parser.parse_args()
    # Stopped with SIGTERM: still stop the cluster, the server and the worker.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))

    folder = Path(tempfile.mkdtemp(prefix="fingerpost-faults-"))
    os.chmod(folder, 0o755)  # noqa: S103 - the postgres user must reach its cluster inside
    pg = ThrowawayPostgres(args.port_base + 32, folder / "pg")
    sink = Sink(args.port_base + 25)
    run = uuid.uuid4().hex[:6]
    database = "fp_faults"
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        FINGERPOST_HTTPS="false",
        FINGERPOST_VAR_DIR=str(folder / "var"),
        DATABASE_URL=pg.url(database),
        EMAIL_URL=f"smtp://127.0.0.1:{args.port_base + 25}",
        EMAIL_TIMEOUT="5",
        PORT=str(args.port_base + 1),
        WEB_CONCURRENCY="3",
        WEB_THREADS="4",
        LOG_LEVEL="WARNING",
        # Shorter than production, so the bench takes minutes, not hours.
        FINGERPOST_DELIVERY_FIRST_RETRY_SECONDS="1",
        FINGERPOST_DELIVERY_MAX_RETRY_SECONDS="4",
        FINGERPOST_DELIVERY_LEASE_SECONDS="15",
        FINGERPOST_WORKER_STALE_SECONDS="15",
        FINGERPOST_CONTROL_SOCKET=str(folder / "serve.ctl"),
    )
    app = Fingerpost(env=env, web_port=args.port_base + 1, logs=folder)
    results: list[Result] = []
    try:
        pg.start()
        pg.create_database(database)
        app.manage("migrate", "--no-input", "-v0")
        event_id = create_event(app)
        sink.start()
        app.start_server()
        app.start_worker()
        db = pg.url(database)
        results.append(scenario_kill(app, sink, db, event_id, run, args.patience))
        results.append(scenario_mail_outage(app, sink, db, event_id, run, args.patience))
        results.append(scenario_database_restart(app, sink, pg, db, event_id, run, args.patience))
        results.append(scenario_refusals(app, sink, db, event_id, run, args.patience))
    finally:
        app.stop()
        sink.stop()
        pg.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"Logs and cluster kept in {folder}")

    header = (
        f"{'scenario':36} {'expected':>8} {'once':>6} {'twice':>6} {'lost':>6} {'refused':>7} "
        f"{'recovery':>9} {'5xx':>5} {'non-JSON':>8}  manual restart / note"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        recovery = "never" if r.recovery_seconds is None else f"{r.recovery_seconds:.1f} s"
        print(
            f"{r.scenario:36} {r.expected:>8} {r.once:>6} {r.twice:>6} {r.lost:>6} {r.refused:>7} "
            f"{recovery:>9} {r.server_errors:>5} {r.html_errors:>8}  "
            f"{'yes' if r.worker_restarted_by_hand else 'no'}; {r.note}"
        )
    total = {
        key: sum(getattr(r, key) for r in results) for key in ("expected", "once", "twice", "lost")
    }
    print(
        f"{'all':36} {total['expected']:>8} {total['once']:>6} "
        f"{total['twice']:>6} {total['lost']:>6}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in results], indent=2))
    return 1 if total["lost"] or total["twice"] else 0


if __name__ == "__main__":
    sys.exit(main())
