"""A live quiz for a room: 500 phones follow one presenter through 10 questions
against `fingerpost serve` (2 workers) on PostgreSQL, on this machine.

    DATABASE_URL=postgres://... .venv/bin/python bench/live_quiz.py \
        --port-base 8300 --players 500 --questions 10 --seconds 10

Each simulated phone does what `quiz/live.mjs` does in a browser: it joins
through the real pages (code, nickname, CSRF), loads its page once (for the
answer token and the state tag), polls the session's state with its ETag (a
304 while nothing changed) every `--poll-ms` with a random phase, draws each
change from the poll's payload (the question and its choices come with it),
asks `mine/` for its own score once a question's deadline has passed, and
answers each question at a random moment inside its window with fetch and
the page's answer token; one answer in ten is sent twice at once (a double
tap). The presenter moves on through
the services in this process, as the presenter's button would.

It prints answers accepted, lost (sent in time but not recorded) and
counted twice, latency percentiles of answering, of the live update (the
state poll, bringing the payload after a change) and of `mine/`, and how
long after the presenter moves on until 95% of phones show the next
question; beside the floor (bench/floor.py: a bare
view and a one-query view under the same gunicorn settings), measured in
the same run. It exits non-zero when an answer is lost or counted twice.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import resource
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import floor

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ANSWER_TOKEN = re.compile(rb'data-answer-token="([^"]+)"')
POLL_AFTER = re.compile(rb"\r\nx-poll-after:\s*(\d+)", re.IGNORECASE)
TAG = re.compile(rb'data-tag="([^"]+)"')
SET_COOKIE = re.compile(rb"\r\nset-cookie:\s*([^=]+)=([^;\r\n]*)", re.IGNORECASE)
ETAG = re.compile(rb"\r\netag:\s*(\S+)", re.IGNORECASE)
# Answers are sent at least this long before the deadline, so every one
# should count: anything not recorded is lost, not late.
MARGIN_SECONDS = 1.5
RNG = random.Random()  # noqa: S311 - timing jitter, not secrets
# Each phone waits its poll interval times a factor in this range, as
# quiz/live.mjs does: phones drift apart instead of asking in step.
JITTER = (0.8, 1.2)


class _Exchange(asyncio.Protocol):
    """One request on its own connection, read until the server closes it
    (gunicorn's sync workers close every connection after one response, and
    the request says `Connection: close`). A protocol rather than asyncio's
    streams, and no task per request: the load generator shares the two
    cores with the server, so each request must cost it as little as it can."""

    __slots__ = ("chunks", "done", "raw", "transport")

    def __init__(self, raw: bytes, done: asyncio.Future[bytes]) -> None:
        self.raw = raw
        self.chunks: list[bytes] = []
        self.done = done
        self.transport: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        transport.write(self.raw)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def eof_received(self) -> bool:
        return False  # let the transport close

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            if exc is not None or not self.chunks:
                self.done.set_exception(exc or ConnectionResetError("closed without an answer"))
            else:
                self.done.set_result(b"".join(self.chunks))


def _timed_out(done: asyncio.Future[bytes], protocol: _Exchange) -> None:
    if not done.done():
        done.set_exception(TimeoutError())
        if protocol.transport is not None:
            protocol.transport.abort()  # type: ignore[attr-defined]


async def exchange(host: str, port: int, raw: bytes, timeout: float) -> tuple[int, bytes, bytes]:
    """Status, head and body of one request (the body as sent: no chunked
    encoding is used by the pages asked for here)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[bytes] = loop.create_future()
    protocol = _Exchange(raw, done)
    timer = loop.call_later(timeout, _timed_out, done, protocol)
    try:
        await loop.create_connection(lambda: protocol, host, port)
        answer = await done
    finally:
        timer.cancel()
        if protocol.transport is not None:
            protocol.transport.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head[9:12]), head, body


@dataclass
class Run:
    code: str = ""
    started: dict[int, float] = field(
        default_factory=dict
    )  # position -> when the presenter opened it
    deadlines: dict[int, float] = field(default_factory=dict)
    finished: bool = False
    answer_latencies: list[float] = field(default_factory=list)
    poll_latencies: list[float] = field(default_factory=list)
    mine_latencies: list[float] = field(default_factory=list)
    join_latencies: list[float] = field(default_factory=list)
    seen: dict[int, list[float]] = field(default_factory=dict)  # position -> delays
    sent: dict[tuple[str, int], float] = field(default_factory=dict)  # (nickname, position) -> when
    accepted: dict[tuple[str, int], int] = field(default_factory=dict)  # -> 201 answers
    refused: dict[str, int] = field(default_factory=dict)  # the server's reason -> how many
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    errors: int = 0
    joined: int = 0

    def status(self, what: str, code: int) -> None:
        counts = self.statuses.setdefault(what, {})
        counts[code] = counts.get(code, 0) + 1


class Phone:
    """One player's phone: its cookies and what its page shows."""

    def __init__(self, base: str, run: Run, number: int, poll_ms: int) -> None:
        self.base = base
        self.run = run
        self.nickname = f"Phone {number:03d}"
        self.cookies: dict[str, str] = {}
        self.poll_ms = poll_ms
        self.tag = ""
        self.answer_token = ""
        self.settled = -1  # the question whose score mine/ gave after its deadline
        self.sending = 0  # answers on their way
        self.payload: dict[str, object] = {}
        self._poll: tuple[str, tuple[str, int, bytes]] | None = None  # (tag, request)

    def poll_request(self) -> tuple[str, int, bytes]:
        """The state poll's bytes, built again only when the tag changes."""
        if self._poll is None or self._poll[0] != self.tag:
            headers = {"If-None-Match": f'"{self.tag}"'}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            url = f"{self.base}/quiz/{self.run.code}/state/"
            self._poll = (self.tag, floor.build_request(url, "GET", headers))
        return self._poll[1]

    async def poll(self) -> tuple[int, bytes, bytes, float]:
        host, port, raw = self.poll_request()
        begin = time.perf_counter()
        try:
            status, head, body = await exchange(host, port, raw, 30)
        except (OSError, TimeoutError, ValueError):
            self.run.errors += 1
            return 0, b"", b"", time.perf_counter() - begin
        self.run.status("state", status)
        return status, head, body, time.perf_counter() - begin

    async def request(
        self,
        what: str,
        path: str,
        *,
        method: str = "GET",
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, bytes, float]:
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        host, port, raw = floor.build_request(self.base + path, method, all_headers, body)
        begin = time.perf_counter()
        try:
            status, head, content = await exchange(host, port, raw, 30)
        except (OSError, TimeoutError, ValueError):
            self.run.errors += 1
            return 0, b"", b"", time.perf_counter() - begin
        took = time.perf_counter() - begin
        for name, value in SET_COOKIE.findall(head):
            self.cookies[name.decode()] = value.decode()
        self.run.status(what, status)
        return status, head, content, took

    async def join(self) -> bool:
        code = self.run.code
        status, _, page, _ = await self.request("join page", f"/quiz/{code}/join/")
        token = CSRF_INPUT.search(page)
        if status != 200 or not token:
            return False
        status, _, _, took = await self.request(
            "join",
            f"/quiz/{code}/join/",
            method="POST",
            form={"csrfmiddlewaretoken": token.group(1).decode(), "nickname": self.nickname},
        )
        self.run.join_latencies.append(took)
        if status == 302:
            self.run.joined += 1
            await self.load_page()
            return True
        return False

    async def load_page(self) -> None:
        """The page, once: its answer token and the state it shows."""
        status, _, page, _ = await self.request("play page", f"/quiz/{self.run.code}/play/")
        if status == 200:
            found = TAG.search(page)
            self.tag = found.group(1).decode() if found else ""
            token = ANSWER_TOKEN.search(page)
            self.answer_token = token.group(1).decode() if token else ""

    async def load_mine(self, position: int) -> None:
        """The player's own score and answer, as the script asks after the
        deadline: once a question, unless an answer was still on its way."""
        if self.settled == position:
            return
        sending = self.sending
        status, _, body, took = await self.request("mine", f"/quiz/{self.run.code}/mine/")
        if status == 200:
            self.run.mine_latencies.append(took)
            if json.loads(body)["closed"] and not (sending or self.sending):
                self.settled = position

    async def answer(self, position: int, choices: list[int]) -> None:
        if not choices or not self.answer_token:
            return
        form = {
            "csrfmiddlewaretoken": self.answer_token,
            "position": str(position),
            "choice": str(RNG.choice(choices)),
        }
        self.run.sent[(self.nickname, position)] = time.time()
        path = f"/quiz/{self.run.code}/answer/"
        fetched = {"X-Quiz-Fetch": "1"}  # as quiz/live.mjs sends it
        sends = [self.request("answer", path, method="POST", form=form, headers=fetched)]
        if RNG.random() < 0.1:  # a double tap
            sends.append(
                self.request("answer (double tap)", path, method="POST", form=form, headers=fetched)
            )
        self.sending += 1
        try:
            results = await asyncio.gather(*sends)
        finally:
            self.sending -= 1
        self.run.answer_latencies.append(results[0][3])
        key = (self.nickname, position)
        for status, _, body, _ in results:
            if status == 201:
                self.run.accepted[key] = self.run.accepted.get(key, 0) + 1
            elif status:
                reason = body.decode(errors="replace")[:60]
                self.run.refused[reason] = self.run.refused.get(reason, 0) + 1
        # The script shows "Answer sent" itself: nothing more to ask.

    async def play(self) -> None:
        await asyncio.sleep(RNG.random() * self.poll_ms / 1000)
        answered: set[int] = set()
        while not self.run.finished:
            status, head, body, took = await self.poll()
            if status in (200, 304):
                self.run.poll_latencies.append(took)
            etag = ETAG.search(head)
            if status == 200 and etag and etag.group(1).decode().strip('"') != self.tag:
                payload = json.loads(body)
                self.tag = payload["tag"]
                phase, position = payload["phase"], payload["position"]
                if phase == "question":
                    # Drawn from the payload: the phone shows the question now.
                    opened = self.run.started.get(position)
                    if opened and position not in answered:
                        self.run.seen.setdefault(position, []).append(time.time() - opened)
                        answered.add(position)
                        choices = [c["id"] for c in payload["question"]["choices"]]
                        task = asyncio.ensure_future(self.answer_later(position, choices))
                        self.run.tasks.add(task)
                        task.add_done_callback(self.run.tasks.discard)
                elif phase in ("answer", "leaderboard", "finished"):
                    await self.load_mine(position)
                if phase == "finished":
                    return
            after = POLL_AFTER.search(head)
            wait = int(after.group(1)) / 1000 if after else self.poll_ms / 1000
            wait *= RNG.uniform(*JITTER)
            # As the script does, ask again when the countdown reaches the deadline.
            deadline = self.run.deadlines.get(max(self.run.deadlines, default=-1))
            if deadline and time.time() < deadline < time.time() + wait:
                wait = deadline - time.time() + 0.05
            await asyncio.sleep(wait)

    async def answer_later(self, position: int, choices: list[int]) -> None:
        deadline = self.run.deadlines[position]
        latest = deadline - MARGIN_SECONDS - time.time()
        if latest > 0:
            await asyncio.sleep(RNG.random() * latest)
            await self.answer(position, choices)


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user and system) of this process, or of a server: its
    master, its workers now, and the workers it has already replaced."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for number, own in [(pid, True), *((child, False) for child in floor._children(pid))]:
        try:
            fields = Path(f"/proc/{number}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime (and cutime, cstime: the children it has waited for)
        times = fields[11:15] if own else fields[11:13]
        total += sum(int(t) for t in times) / tick
    return total


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    import django

    django.setup()


def create_session(questions: int, seconds: int) -> tuple[int, str, object]:
    from fingerpost.accounts.models import User
    from fingerpost.quiz import services
    from fingerpost.quiz.models import Question

    organiser, _ = User.objects.get_or_create(
        email="bench-quiz-organiser@example.org", defaults={"full_name": "Bench Organiser"}
    )
    organiser.is_superuser = True  # the operator may run any session
    organiser.save(update_fields=["is_superuser"])
    services.load_starter_bank()
    ids = list(Question.objects.filter(archived=False).values_list("pk", flat=True)[:questions])
    quiz = services.create_quiz(
        by=organiser, title="Bench quiz", seconds_per_question=seconds, question_ids=ids
    )
    session = services.start_session(by=organiser, quiz_id=quiz.pk)
    return session.pk, session.code, organiser


def presenter(
    run: Run,
    session_id: int,
    organiser: object,
    questions: int,
    seconds: int,
    ready: threading.Event,
) -> None:
    """The presenter's clicks, through the same services as the button."""
    from django.db import connection

    from fingerpost.quiz import services

    ready.wait()
    try:
        for position in range(questions):
            moved = time.time()
            session = services.next_question(by=organiser, session_id=session_id)
            assert session.deadline
            run.deadlines[position] = session.deadline.timestamp()
            run.started[position] = moved
            time.sleep(seconds + 2)  # the window, then the answer on screen
            services.show_leaderboard(by=organiser, session_id=session_id)
            time.sleep(1.5)
        services.finish_session(by=organiser, session_id=session_id)
        time.sleep(3)
    finally:
        run.finished = True
        connection.close()


async def room(base: str, run: Run, players: int, poll_ms: int, ready: threading.Event) -> None:
    phones = [Phone(base, run, n, poll_ms) for n in range(players)]
    gate = asyncio.Semaphore(50)  # people join over a few seconds, not all in one instant

    async def join(phone: Phone) -> bool:
        async with gate:
            return await phone.join()

    joined = await asyncio.gather(*(join(p) for p in phones))
    print(f"{sum(joined)} of {players} phones joined", flush=True)
    ready.set()
    await asyncio.gather(*(p.play() for p, ok in zip(phones, joined, strict=True) if ok))


def count_answers(session_id: int) -> tuple[int, int, set[tuple[str, int]]]:
    from django.db.models import Count

    from fingerpost.quiz.models import Answer

    rows = Answer.objects.filter(session_id=session_id)
    twice = rows.values("player_id", "position").annotate(n=Count("id")).filter(n__gt=1).count()
    recorded = set(rows.values_list("player__nickname", "position"))
    return rows.count(), twice, recorded


def ms(values: list[float], pct: float) -> str:
    return f"{1000 * floor.percentile(values, pct):.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port-base", type=int, default=8300, help="Fingerpost on it, floor +1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--players", type=int, default=500)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="the window of each question")
    parser.add_argument("--poll-ms", type=int, default=1000, help="how often a phone polls")
    parser.add_argument("--floor-seconds", type=float, default=5.0)
    args = parser.parse_args()

    floor.bench_environment()
    os.environ["FINGERPOST_QUIZ_POLL_MS"] = str(args.poll_ms)
    setup_django()
    base_floor = floor.measure_floor(
        port=args.port_base + 1, workers=args.workers, concurrency=32, seconds=args.floor_seconds
    )
    session_id, code, organiser = create_session(args.questions, args.seconds)
    run = Run(code=code)
    ready = threading.Event()
    with floor.serve_fingerpost(args.port_base, args.workers) as server:
        thread = threading.Thread(
            target=presenter,
            args=(run, session_id, organiser, args.questions, args.seconds, ready),
        )
        thread.start()
        began = time.time()
        client_cpu, server_cpu = cpu_seconds(), cpu_seconds(server.process.pid)
        asyncio.run(room(server.url("").rstrip("/"), run, args.players, args.poll_ms, ready))
        thread.join()
        took = time.time() - began
        client_cpu = cpu_seconds() - client_cpu
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        memory = server.memory_line()

    total, twice, recorded = count_answers(session_id)
    lost = len(set(run.accepted) - recorded)  # the server said yes, the database has none
    twice += sum(1 for n in run.accepted.values() if n > 1)
    seen_95 = [floor.percentile(delays, 95) for _, delays in sorted(run.seen.items())]
    seen_all = [d for delays in run.seen.values() for d in delays]
    updates = sum(len(d) for d in run.seen.values())

    print(
        f"\n{args.players} phones, {args.questions} questions of {args.seconds} s, "
        f"polling every {args.poll_ms} ms, {args.workers} workers, {took:.0f} s"
    )
    floor.report([], base_floor)
    print(
        f"answers sent {len(run.sent)} (and {run.statuses.get('answer (double tap)', {})} "
        f"double taps), accepted {len(run.accepted)}, recorded {total}, lost {lost}, "
        f"counted twice {twice}; refused {run.refused or 'none'}"
    )
    print(
        f"answer (fetch POST)  p50 {ms(run.answer_latencies, 50)} ms  "
        f"p95 {ms(run.answer_latencies, 95)} ms  p99 {ms(run.answer_latencies, 99)} ms  "
        f"(aim: p99 under 200 ms)"
    )
    print(
        f"live update (state poll, {len(run.poll_latencies)} polls)  "
        f"p50 {ms(run.poll_latencies, 50)} ms  p95 {ms(run.poll_latencies, 95)} ms  "
        f"p99 {ms(run.poll_latencies, 99)} ms"
    )
    print(
        f"mine/ after a deadline ({len(run.mine_latencies)})  "
        f"p50 {ms(run.mine_latencies, 50)} ms  "
        f"p95 {ms(run.mine_latencies, 95)} ms  p99 {ms(run.mine_latencies, 99)} ms"
    )
    print(
        f"join (nickname POST)  p50 {ms(run.join_latencies, 50)} ms  "
        f"p95 {ms(run.join_latencies, 95)} ms"
    )
    print(
        f"next question on the phone, after the presenter moved on ({updates} updates): "
        f"95% of phones within {max(seen_95, default=0):.2f} s at worst, "
        f"{floor.percentile(seen_95, 50):.2f} s in the median question; "
        f"all phones p99 {floor.percentile(seen_all, 99):.2f} s (aim: 95% within 1.5 s)"
    )
    print(f"requests: {run.statuses}; connection errors {run.errors}")
    sent = sum(sum(counts.values()) for counts in run.statuses.values())
    print(
        f"CPU over the {took:.0f} s of play (2 cores: {2 * took:.0f} s in all): "
        f"the load generator (this process, the presenter included) {client_cpu:.1f} s, "
        f"{1e6 * client_cpu / max(sent, 1):.0f} us a request; the server {server_cpu:.1f} s, "
        f"{1e6 * server_cpu / max(sent, 1):.0f} us a request"
    )
    print(memory)
    failed = (
        lost
        or twice
        or run.errors
        or any(code >= 500 for counts in run.statuses.values() for code in counts)
    )
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
