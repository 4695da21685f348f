"""Check the Open Referral UK feed of a running server: every endpoint, every
record, against the feed's rules (tests/directory/schemas), and optionally
against a folder of the standard's published JSON schemas.

With no --base-url it starts its own `fingerpost serve` (production settings,
plain HTTP, a new SQLite database with the demo organisations and directory)
on a free loopback port, checks it and stops it:

    .venv/bin/python bench/openreferral_live.py
    .venv/bin/python bench/openreferral_live.py --base-url http://127.0.0.1:8000
    .venv/bin/python bench/openreferral_live.py --published path/to/uk-profile/schema

--published names a folder laid out like the UK profile's `schema/`
(compiled/service.json, compiled/service_list.json,
compiled/service_at_location.json, compiled/service_at_location_list.json,
taxonomy.json, taxonomy_term.json). Prints what it checked; exits 1 on any
problem.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from jsonschema import Draft202012Validator, FormatChecker  # noqa: E402

from tests.directory.oruk import DETAILS, LISTS, problems  # noqa: E402

PUBLISHED_LISTS = {
    "services": "compiled/service_list.json",
    "service_at_locations": "compiled/service_at_location_list.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}
PUBLISHED_DETAILS = {
    "services": "compiled/service.json",
    "service_at_locations": "compiled/service_at_location.json",
    "taxonomies": "taxonomy.json",
    "taxonomy_terms": "taxonomy_term.json",
}
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "x7Q!p2@Lm9#Zr4$Tb8^Wv3*Yk6(Hn1)Gd5-Js0+Kc",
    "ALLOWED_HOSTS": "127.0.0.1",
    "EMAIL_URL": "consolemail://",
    "FINGERPOST_HTTPS": "false",
    "FINGERPOST_DEMO_ALLOWED": "true",
    "WEB_CONCURRENCY": "2",
}


# The demo organisations, areas and directory, without the demo accounts
# (hashing their passwords is most of the time `fingerpost demo` takes).
SEED = """
import json
from fingerpost.directory.demo import create_demo_data
from fingerpost.organisations import demo
demo._create_organisations(json.loads(demo.DEMO_FILE.read_text())["organisations"])
demo._create_areas(json.loads(demo.AREAS_FILE.read_text())["areas"])
create_demo_data(scale=1)
"""


def fetch(url: str) -> tuple[int, Any, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, None, dict(error.headers)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_server(port: int | None) -> Iterator[str]:
    """A `fingerpost serve` with the demo data on a new database, for as long as needed."""
    port = port or _free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
        env.update(PRODUCTION_ENV)
        env.update(
            DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
            FINGERPOST_VAR_DIR=folder,
            PORT=str(port),
            FINGERPOST_SITE_URL=f"http://127.0.0.1:{port}",
        )
        manage = [sys.executable, "-m", "fingerpost.manage"]
        for step in (["migrate", "-v0"], ["shell", "-c", SEED]):
            subprocess.run(  # noqa: S603 - our own command, fixed arguments
                [*manage, *step], env=env, check=True, timeout=300, capture_output=True
            )
        server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
            [*manage, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if fetch(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            else:
                raise SystemExit("fingerpost serve did not start")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=30)


def _published(folder: Path | None, name: str) -> Draft202012Validator | None:
    if folder is None:
        return None
    return Draft202012Validator(
        json.loads((folder / name).read_text()), format_checker=FormatChecker()
    )


def check(base: str, published: Path | None) -> list[str]:
    """Every problem found in the feed at `base` (an empty list: all is well)."""
    found: list[str] = []
    checked = 0

    def expect(url: str) -> Any:
        status, body, headers = fetch(url)
        if status != 200:
            found.append(f"{url}: answered {status}")
        if headers.get("Access-Control-Allow-Origin") != "*":
            found.append(f"{url}: no CORS header for reading")
        return body

    root = expect(f"{base}/openreferral/")
    found += [f"/openreferral/: {p}" for p in problems(root, "root")]
    for endpoint in LISTS:
        url = f"{base}/openreferral/{endpoint}?per_page=500"
        page = expect(url)
        if page is None:
            continue
        checked += 1
        found += [f"{url}: {p}" for p in problems(page, LISTS[endpoint], page=True)]
        list_schema = _published(published, PUBLISHED_LISTS[endpoint])
        detail_schema = _published(published, PUBLISHED_DETAILS[endpoint])
        for item in page["contents"]:
            if list_schema is not None:
                found += [f"{url} (published): {e.message}" for e in list_schema.iter_errors(item)]
            detail_url = f"{base}/openreferral/{endpoint}/{item['id']}"
            detail = expect(detail_url)
            if detail is None:
                continue
            checked += 1
            found += [f"{detail_url}: {p}" for p in problems(detail, DETAILS[endpoint])]
            if detail_schema is not None:
                found += [
                    f"{detail_url} (published): {e.message}"
                    for e in detail_schema.iter_errors(detail)
                ]
    print(f"Checked {checked} responses from {base}/openreferral/: {len(found)} problem(s)")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", help="check this running server instead of starting one")
    parser.add_argument("--port", type=int, help="port for the server this starts")
    parser.add_argument("--published", type=Path, help="folder of the published schemas")
    args = parser.parse_args()
    if args.base_url:
        found = check(args.base_url.rstrip("/"), args.published)
    else:
        with own_server(args.port) as base:
            found = check(base, args.published)
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
