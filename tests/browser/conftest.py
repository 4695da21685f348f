"""Browser-test harness: one headless Debian Chromium per session, driven by
Playwright against pytest-django's live server, with a fresh context per test.

Every test in this folder is marked `browser` (`make test-browser` runs only
these; `make test-fast` skips them). A missing Chromium skips them, except on
CI (`CI=true`), where it fails so that the suite cannot silently stop running.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from .axe import AXE_JS
from .data import SiteData, make_site_data

# Playwright's sync API runs an asyncio loop in the main thread; Django would
# then refuse ORM calls from the test body (factories, assertions).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's Chromium; FINGERPOST_CHROMIUM points elsewhere (never a downloaded browser).
CHROMIUM = Path(os.environ.get("FINGERPOST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Fail fast: a page of this site that takes longer than this is a bug.
TIMEOUT_MS = 10_000

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees every collected item, not only this folder's.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _chromium_missing() -> None:
    reason = f"Chromium is not installed at {CHROMIUM}: browser tests cannot run"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _chromium_missing()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(
    chromium: Browser, live_server: object, transactional_db: None
) -> Iterator[Callable[..., BrowserContext]]:
    """Make a browser context pointed at the live server; keyword arguments go to
    Browser.new_context (e.g. java_script_enabled=False). Closed after the test.

    Pages run under the site's real Content-Security-Policy. axe-core is
    preloaded into every page as an init script: DevTools injects it, so the CSP
    does not block it, and it costs ~0.05 s a page where an add_script_tag costs
    ~0.25 s (about 20 s over this suite). run_axe falls back to add_script_tag
    for pages made another way."""
    contexts: list[BrowserContext] = []

    def make(**kwargs: object) -> BrowserContext:
        kwargs.setdefault("base_url", live_server.url)  # type: ignore[attr-defined]
        kwargs.setdefault("locale", "en-GB")
        context = chromium.new_context(**kwargs)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        if AXE_JS.exists():  # if not, run_axe fails with how to install it
            context.add_init_script(path=AXE_JS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _quiet_request_logs() -> Iterator[None]:
    # One log line per request drowns the failure reports; warnings still show.
    logger = logging.getLogger("fingerpost.requests")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh context, JavaScript on, desktop-sized viewport."""
    return new_context().new_page()


@pytest.fixture
def site_data(transactional_db: None) -> SiteData:
    """A little of everything, so list and detail pages are not empty."""
    return make_site_data()
