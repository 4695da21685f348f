"""Where a request's time goes, in process: each page is asked for through
Fingerpost's WSGI application (every middleware, the real database) without
a server, timed, and optionally profiled with cProfile.

    DATABASE_URL=postgres://... .venv/bin/python bench/profile_pages.py \
        --path /healthz --path /events/ --requests 200 --profile 25

Prints the mean time (and the CPU time of this process alone, which the
database's share and a busy machine do not blur) and the number of queries of each page, then, with
`--profile N`, the N functions that take the most time (cumulative), which
is what the notes in docs/operations.md quote when an aim is not reached.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

import floor


def environ_for(path: str, cookies: str = "") -> dict[str, object]:
    parts = urlsplit(path)
    environ: dict[str, object] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": "fingerpost-bench",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookies:
        environ["HTTP_COOKIE"] = cookies
    return environ


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", type=int, default=0, help="show the N costliest functions")
    parser.add_argument("--cookie", default="", help="a Cookie header, to be signed in")
    args = parser.parse_args(argv)

    floor.bench_environment()
    import logging
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fingerpost.settings")
    from django.db import connection

    from fingerpost.wsgi import application

    # Request logs go where a server's would, but not on this terminal.
    logging.getLogger("fingerpost").handlers[:] = [logging.NullHandler()]

    def call(path: str) -> int:
        status: list[str] = []
        body = application(environ_for(path, args.cookie), lambda s, h, *a: status.append(s))
        for _ in body:
            pass
        body.close()
        return int(status[0].split()[0])

    for path in args.path:
        for _ in range(20):
            answer = call(path)
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):  # type: ignore[no-untyped-def]
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            call(path)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            call(path)
        mean = (time.perf_counter() - started) / args.requests
        cpu_mean = (time.process_time() - cpu) / args.requests
        print(
            f"{path:40} {answer}  {1000 * mean:6.2f} ms ({1000 * cpu_mean:.2f} ms of CPU here)"
            f"  {len(queries)} queries"
        )
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU only: the machine may be shared
            profiler.enable()
            for _ in range(args.requests):
                call(path)
            profiler.disable()
            stream = io.StringIO()
            stats = pstats.Stats(profiler, stream=stream)
            stats.sort_stats("cumulative").print_stats(args.profile)
            print(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
