"""`fingerpost serve` runs the production server with several workers and
serves static files itself (whitenoise)."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .test_production_settings import PRODUCTION_ENV


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read(), dict(response.headers)


@pytest.mark.skipif(
    not (
        Path(__file__).parents[2] / "src/fingerpost/core/static/fingerpost/build/fingerpost.css"
    ).exists(),
    reason="front-end assets are not built (run `make assets`)",
)
def test_serve_answers_health_and_static_files(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        FINGERPOST_VAR_DIR=str(tmp_path),
        FINGERPOST_HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    manage = [sys.executable, "-m", "fingerpost.manage"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    subprocess.run(
        [*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, timeout=120
    )
    server = subprocess.Popen(
        [*manage, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(100):
            try:
                status, body, _headers = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("fingerpost serve did not answer /healthz")
        assert status == 200
        assert json.loads(body) == {"status": "ok", "database": "ok"}

        status, page, headers = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Content-Security-Policy" in headers
        css = page.decode().split('rel="stylesheet" href="')[1].split('"')[0]
        assert ".css" in css and css != "/static/fingerpost/build/fingerpost.css"  # hashed name
        status, _css, headers = _get(f"http://127.0.0.1:{port}{css}")
        assert status == 200
        assert "max-age=315360000" in headers.get("Cache-Control", "")
    finally:
        server.terminate()
        server.wait(timeout=30)
