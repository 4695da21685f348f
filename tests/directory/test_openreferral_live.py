"""The feed as a real `fingerpost serve` gives it (production settings, the
demo data): bench/openreferral_live.py starts one and checks every response."""

import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    not (PROJECT_DIR / "src/fingerpost/core/static/fingerpost/build/fingerpost.css").exists(),
    reason="front-end assets are not built (run `make assets`)",
)
def test_a_running_server_answers_the_feed_by_the_standard() -> None:
    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "bench" / "openreferral_live.py")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problem(s)" in result.stdout
    checked = int(result.stdout.split("Checked ")[1].split(" ")[0])
    assert checked >= 20  # four lists and every record in them
