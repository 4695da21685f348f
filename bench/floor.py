"""The floor: what Django itself can do on this machine, measured in the same
run as Fingerpost so that every figure can be read as a share of it.

It serves a bare Django site (bench/floor_site.py: no apps, no middleware)
with a no-query view and a one-query view, under the gunicorn settings of
`fingerpost serve` and on the same database, loads it with many clients at
once, and does the same for the Fingerpost pages asked for:

    DATABASE_URL=postgres://... .venv/bin/python bench/floor.py \
        --port-base 8700 --workers 2 --concurrency 32 --seconds 10 \
        --path /healthz --path /events/

It prints requests/s, latency percentiles and each page's ratio to the
floor, then each worker's resident memory. Rounds alternate the floor and
Fingerpost (`--rounds`), because a shared machine is noisy.

Other benches import it (they run as `python bench/<name>.py`, so this
folder is on the path):

    import floor
    env = floor.bench_environment()            # production-like, plain HTTP
    with floor.serve_fingerpost(port=8701) as server:
        mine = floor.load(server.url("/events/"), concurrency=32, seconds=10)
        print(server.worker_memory())
    base = floor.measure_floor(port=8700)      # bare and one-query figures
    floor.report([("event page", mine)], base)

`load` is a small asyncio HTTP/1.1 client (one connection per request, as
gunicorn's sync workers close each one), cheap enough that the server, not
the client, is what is measured; the client shares the machine all the same,
which is why only ratios from the same run mean anything.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
REPOSITORY = BENCH_DIR.parent
HOST = "127.0.0.1"

# Production settings over plain HTTP on one machine, as in docs/operations.md
# ("Local production-like run"); anything already in the environment wins.
BENCH_DEFAULTS = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "FINGERPOST_HTTPS": "false",
    "FINGERPOST_DEMO_ALLOWED": "true",
    "FINGERPOST_REQUIRE_MFA": "false",
    "EMAIL_URL": "consolemail://",
    "FINGERPOST_CONTROL_SOCKET": "off",
    # Every simulated person comes from this one address: the per-address
    # limits on bookings would stop them after the first few.
    "FINGERPOST_LIMITS_ENABLED": "false",
}


def bench_environment() -> dict[str, str]:
    """Set the production-like defaults in this process's environment (so
    Django set up here and every server started from here agree) and return
    it. A key is made for the run when none is given."""
    for name, value in BENCH_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("Set DATABASE_URL to the PostgreSQL database to measure on.")
    return dict(os.environ)


# --- figures ------------------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


@dataclass
class Figures:
    """What a load run gave: throughput, latency (seconds) and answers."""

    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, pct: float) -> float:
        return percentile(self.latencies, pct)

    @property
    def failures(self) -> int:
        """Connection errors and 5xx answers."""
        return sum(self.errors.values()) + sum(n for s, n in self.statuses.items() if s >= 500)

    def merge(self, other: Figures) -> Figures:
        return Figures(
            requests=self.requests + other.requests,
            seconds=self.seconds + other.seconds,
            latencies=self.latencies + other.latencies,
            statuses=self.statuses + other.statuses,
            errors=self.errors + other.errors,
        )

    def line(self) -> str:
        text = (
            f"{self.rps:8.1f} req/s  p50 {1000 * self.p(50):6.1f} ms  "
            f"p95 {1000 * self.p(95):6.1f} ms  p99 {1000 * self.p(99):6.1f} ms"
        )
        others = {s: n for s, n in self.statuses.items() if s != 200}
        if others or self.errors:
            text += f"  (answers {dict(self.statuses)}, errors {dict(self.errors)})"
        return text


@dataclass
class Floor:
    """The bare view and the one-query view, measured in one run."""

    bare: Figures
    one_query: Figures

    def ratio(self, figures: Figures, to: str = "one_query") -> float:
        base = self.bare if to == "bare" else self.one_query
        return figures.rps / base.rps if base.rps else 0.0


# --- the load generator -------------------------------------------------------

_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_CHUNKED = re.compile(rb"\r\ntransfer-encoding:\s*chunked", re.IGNORECASE)


def build_request(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> tuple[str, int, bytes]:
    """The raw bytes of one HTTP/1.1 request, and where to send them."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [
        f"{method} {target} HTTP/1.1",
        f"Host: {parts.netloc}",
        "User-Agent: fingerpost-bench",
        "Accept: text/html,application/json",
        "Connection: close",
    ]
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    raw = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
    return parts.hostname or HOST, parts.port or 80, raw


async def exchange(host: str, port: int, raw: bytes) -> tuple[int, bytes, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = _CONTENT_LENGTH.search(head)
        if length:
            body = await reader.readexactly(int(length.group(1)))
        elif _CHUNKED.search(head):
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunks.append(await reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(chunk[:-2] for chunk in chunks)
        else:
            body = await reader.read()
        return status, head, body
    finally:
        writer.close()
        with contextlib.suppress(OSError, ConnectionError):
            await writer.wait_closed()


async def _load(
    requests: Sequence[tuple[str, int, bytes]],
    concurrency: int,
    seconds: float | None,
    total: int | None,
    timeout: float,
) -> Figures:
    figures = Figures()
    started = time.perf_counter()
    deadline = started + seconds if seconds else None
    sent = 0

    def more() -> bool:
        nonlocal sent
        if deadline is not None and time.perf_counter() >= deadline:
            return False
        if total is not None and sent >= total:
            return False
        sent += 1
        return True

    async def client(n: int) -> None:
        turn = n
        while more():
            host, port, raw = requests[turn % len(requests)]
            turn += concurrency
            begin = time.perf_counter()
            try:
                status, _, _ = await asyncio.wait_for(exchange(host, port, raw), timeout)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
                figures.errors[type(error).__name__] += 1
                continue
            except TimeoutError:
                figures.errors["timeout"] += 1
                continue
            figures.latencies.append(time.perf_counter() - begin)
            figures.statuses[status] += 1
            figures.requests += 1

    await asyncio.gather(*(client(n) for n in range(concurrency)))
    figures.seconds = time.perf_counter() - started
    return figures


def load(
    url: str | Sequence[str],
    *,
    concurrency: int = 32,
    seconds: float | None = 10.0,
    requests: int | None = None,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    timeout: float = 30.0,
    warmup: int = 0,
) -> Figures:
    """Keep `concurrency` clients sending requests to `url` (or to each of a
    list of URLs in turn) for `seconds`, or until `requests` have been sent.
    `warmup` requests go first and are not counted."""
    urls = [url] if isinstance(url, str) else list(url)
    raws = [build_request(u, method, headers, body) for u in urls]
    if warmup:
        asyncio.run(_load(raws, min(concurrency, warmup), None, warmup, timeout))
    return asyncio.run(_load(raws, concurrency, seconds, requests, timeout))


def fetch(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    """One plain GET, for checks before a run."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# --- servers ------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The parent id is the second field after the command in brackets.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Server:
    """A gunicorn server this bench started; its output goes to `log`."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.port}{path}"

    def workers(self) -> list[int]:
        return _children(self.process.pid)

    def worker_memory(self) -> list[float]:
        """Resident memory of each worker, in MiB."""
        sizes = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                sizes.append(resident_mib(pid))
        return sizes

    def memory_line(self) -> str:
        sizes = self.worker_memory()
        return (
            f"{self.name} workers' resident memory: "
            + ", ".join(f"{s:.0f}" for s in sizes)
            + (" MiB" if sizes else "(none)")
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _start(name: str, command: list[str], port: int, ready_path: str) -> Server:
    log = Path(tempfile.mkstemp(prefix=f"fingerpost-bench-{name}-", suffix=".log")[1])
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=REPOSITORY, stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy()
        )
    server = Server(name=name, port=port, process=process, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} server stopped at start; see {log}")
        with contextlib.suppress(OSError):
            status, _ = fetch(server.url(ready_path), timeout=2)
            if status == 200:
                return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{name} server did not answer {ready_path} within 60 s; see {log}")


def fingerpost_command() -> list[str]:
    script = Path(sys.executable).with_name("fingerpost")
    return [str(script)] if script.exists() else [sys.executable, "-m", "fingerpost.manage"]


@contextlib.contextmanager
def serve_fingerpost(port: int, workers: int = 2) -> Iterator[Server]:
    """`fingerpost serve` on `port`, as in production (bench_environment)."""
    bench_environment()
    # Production pages name their static files through the manifest that only
    # a production-mode collectstatic writes; without it every page is a 500.
    subprocess.run(  # noqa: S603
        [*fingerpost_command(), "collectstatic", "--no-input", "-v0"],
        cwd=REPOSITORY,
        env=os.environ.copy(),
        check=True,
    )
    server = _start(
        "fingerpost",
        [*fingerpost_command(), "serve", "--port", str(port), "--workers", str(workers)],
        port,
        "/healthz",
    )
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def serve_floor(port: int, workers: int = 2) -> Iterator[Server]:
    """The bare Django site under the same gunicorn settings and database."""
    bench_environment()
    server = _start(
        "floor",
        [
            sys.executable,
            str(Path(__file__)),
            "serve-floor",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        port,
        "/bare",
    )
    try:
        yield server
    finally:
        server.stop()


def _serve_floor_here(port: int, workers: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "floor_site"
    sys.path.insert(0, str(BENCH_DIR))
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    from fingerpost.core.management.commands.serve import run_gunicorn

    run_gunicorn(get_wsgi_application(), HOST, port, workers)


def measure_floor(
    port: int = 8700,
    *,
    workers: int = 2,
    concurrency: int = 32,
    seconds: float = 10.0,
    server: Server | None = None,
) -> Floor:
    """Start the floor site (unless `server` is one already running), load
    its two views one after the other, and return the figures."""
    with contextlib.ExitStack() as stack:
        if server is None:
            server = stack.enter_context(serve_floor(port, workers))
        figures = {}
        for view in ("bare", "one-query"):
            figures[view] = load(
                server.url(f"/{view}"), concurrency=concurrency, seconds=seconds, warmup=200
            )
        return Floor(bare=figures["bare"], one_query=figures["one-query"])


def report(rows: Sequence[tuple[str, Figures]], floor: Floor | None, out=sys.stdout) -> None:
    """Print each row's figures, and its share of the floor's requests/s."""
    named = list(rows)
    if floor is not None:
        named = [
            ("floor: no-query view", floor.bare),
            ("floor: one-query view", floor.one_query),
            *named,
        ]
    width = max(len(name) for name, _ in named)
    for name, figures in named:
        text = f"{name:<{width}}  {figures.line()}"
        if floor is not None and not name.startswith("floor:"):
            text += (
                f"  = {100 * floor.ratio(figures, 'bare'):.0f}% of no-query, "
                f"{100 * floor.ratio(figures):.0f}% of one-query"
            )
        print(text, file=out)


# --- the command --------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve-floor", help="serve the floor site (used by this bench)")
    serve.add_argument("--port", type=int, required=True)
    serve.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port-base", type=int, default=8700, help="floor on it, Fingerpost +1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0, help="per page and round")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--path", action="append", default=[], help="a Fingerpost page to measure (repeatable)"
    )
    parser.add_argument("--base-url", help="a Fingerpost already running, instead of starting one")
    args = parser.parse_args(argv)
    if args.command == "serve-floor":
        _serve_floor_here(args.port, args.workers)
        return 0

    bench_environment()
    floors: list[Floor] = []
    pages: dict[str, Figures] = {path: Figures() for path in args.path}
    with contextlib.ExitStack() as stack:
        floor_server = stack.enter_context(serve_floor(args.port_base, args.workers))
        fingerpost = None
        if args.path and not args.base_url:
            fingerpost = stack.enter_context(serve_fingerpost(args.port_base + 1, args.workers))
        base = (args.base_url or (fingerpost.url("") if fingerpost else "")).rstrip("/")
        for path in args.path:
            status, _ = fetch(base + path)
            if status != 200:
                print(f"FAIL: {path} answered {status}")
                return 1
        for number in range(1, args.rounds + 1):
            with open("/proc/loadavg") as loadavg:
                print(f"round {number}: load average {loadavg.read().split()[0]}", flush=True)
            floors.append(
                measure_floor(
                    concurrency=args.concurrency, seconds=args.seconds, server=floor_server
                )
            )
            for path in args.path:
                pages[path] = pages[path].merge(
                    load(
                        base + path, concurrency=args.concurrency, seconds=args.seconds, warmup=100
                    )
                )
        combined = Floor(
            bare=_merge(f.bare for f in floors), one_query=_merge(f.one_query for f in floors)
        )
        print(f"{args.workers} workers, {args.concurrency} clients, {args.rounds} round(s)")
        report([(path, figures) for path, figures in pages.items()], combined)
        print(floor_server.memory_line())
        if fingerpost is not None:
            print(fingerpost.memory_line())
    failures = sum(f.failures for f in pages.values())
    failures += combined.bare.failures + combined.one_query.failures
    if failures:
        print(f"FAIL: {failures} requests failed")
    print("OK" if not failures else "FAILED")
    return 1 if failures else 0


def _merge(figures: Iterator[Figures] | Sequence[Figures]) -> Figures:
    total = Figures()
    for one in figures:
        total = total.merge(one)
    return total


if __name__ == "__main__":
    sys.exit(main())
