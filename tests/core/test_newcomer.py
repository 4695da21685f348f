"""A fresh clone explains itself: how to sign in, where email goes, and docs
that never send a reader (or the code) outside the repository."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src/fingerpost/organisations/data/demo_organisations.json"


def _demo_accounts() -> list[dict[str, str]]:
    return json.loads(DEMO.read_text())["accounts"]


@pytest.mark.parametrize("where", ["README.md", "Makefile"])
def test_the_readme_and_make_run_name_every_demo_account(where) -> None:
    text = (ROOT / where).read_text()
    assert "fingerpost-demo" in text
    for account in _demo_accounts():
        assert account["email"] in text, f"{where} does not name {account['email']}"
    assert "var/mail/" in text and "var/texts/" in text


def test_the_readme_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text()
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in readme, f"README.md does not link docs/{page.name}"


def _project_files() -> list[Path]:
    files = [ROOT / "README.md", ROOT / "Makefile", ROOT / "pyproject.toml"]
    for folder in ("docs", "src", "tests", "bench"):
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and p.suffix in {".md", ".py", ".html", ".txt", ".toml", ".json", ".mjs"}
        ]
    return files


def test_nothing_points_outside_the_repository() -> None:
    # Spelt in pieces so that this file does not find itself.
    outside = ["BRIEF" + ".md", "STYLE" + ".md", "../" + "shared", "/" + "work/"]
    found = [
        f"{path.relative_to(ROOT)}: {word}"
        for path in _project_files()
        for word in outside
        if word in path.read_text(errors="ignore")
    ]
    assert found == []


SETUP = (
    "import django, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fingerpost.settings'); "
    "django.setup(); "
)


def test_links_follow_the_port(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FINGERPOST_SITE_URL"}
    env["PORT"] = "8123"
    code = "from django.conf import settings; print(settings.FINGERPOST_SITE_URL)"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP + code,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8123"


def test_development_email_and_texts_go_to_files_not_the_log(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"EMAIL_URL", "GOVUK_NOTIFY_API_KEY"}}
    env["DEBUG"] = "true"
    env["FINGERPOST_VAR_DIR"] = str(tmp_path)
    code = (
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH, settings.FINGERPOST_SMS_BACKEND)"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SETUP + code,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    backend, path, sms = result.stdout.split()
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(tmp_path / "mail")
    assert sms == "fingerpost.core.sms.FileBackend"


def test_a_text_in_development_is_a_file(settings, tmp_path) -> None:
    from fingerpost.core.sms import FileBackend

    settings.VAR_DIR = tmp_path
    FileBackend().send(to="07700900123", body="Your reference is ABC123")
    (written,) = (tmp_path / "texts").iterdir()
    assert "Your reference is ABC123" in written.read_text()


@pytest.mark.django_db
def test_the_api_reference_is_a_page_listing_every_operation(client) -> None:
    from fingerpost.api import api

    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-GB"' in page and "<main" in page
    assert "swagger" not in page.lower()
    for path in api.get_openapi_schema()["paths"]:
        assert path in page, f"{path} is missing from the API reference"
