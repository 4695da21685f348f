"""The insights dashboard in a browser: it passes axe as a coordinator and an
admin (with figures, with hidden small numbers, with a filter, with errors),
and works on a 320 px phone without JavaScript, the wide tables scrolling in
their own box rather than the page."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.roles import Role
from fingerpost.organisations.models import Area, Organisation
from fingerpost.skills.framework import AREAS
from fingerpost.skills.models import SkillsCheckResult
from tests.factories import BookingFactory, EventFactory, HelpRequestFactory, UserFactory

from .axe import assert_no_problems, audit, run_axe
from .checks import SMALL_PHONE, sideways_scroll
from .pages import sign_in, sign_out, submit, visit

# Set to a folder to keep screenshots of the dashboard (for looking at it).
SCREENSHOTS = os.environ.get("FINGERPOST_SCREENSHOTS", "")


def _figures() -> Organisation:
    library = Organisation.objects.create(name="Library service", slug="library", kind="library")
    council = Organisation.objects.create(name="Council", slug="council", kind="council")
    weymouth = Area.objects.create(name="Weymouth", slug="weymouth")
    made = timezone.now() - timedelta(days=40)
    for n in range(14):
        HelpRequestFactory(
            organisation=library if n % 3 else council,
            created_at=made + timedelta(days=n),
            first_contact_at=made + timedelta(days=n, hours=n + 1),
            status="closed" if n % 2 else "new",
            outcome="helped" if n % 2 else "",
            with_needs=["video_calls", "email"] if n % 4 else ["finding_work"],
        )
    held = EventFactory(organisation=library, starts_at=made, ends_at=made + timedelta(hours=2))
    for n in range(9):
        BookingFactory(event=held, checked_in_at=made if n % 3 else None)
    SkillsCheckResult.objects.bulk_create(
        [
            SkillsCheckResult(**{f"gaps_{a.key}": n % 2 for a in AREAS}, area=weymouth)
            for n in range(12)
        ]
    )
    return library


def test_the_dashboard_passes_axe(page: Page) -> None:
    library = _figures()
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    sign_in(page, coordinator)
    reports = [
        audit(page, "/insights/", "a coordinator"),
        audit(page, "/insights/?organisation=library&area=weymouth", "a coordinator, filtered"),
        audit(page, "/insights/?start=31/02/2026", "a coordinator, bad date", status=400),
        audit(page, "/dashboard/", "a coordinator"),
    ]
    visit(page, "/insights/")
    page.get_by_label("From", exact=True).fill("1/5/2026")
    page.get_by_label("To", exact=True).fill("1/4/2026")
    submit(page, "main form.fp-insights-filters")
    assert page.locator(".govuk-error-summary").is_visible()
    violations = run_axe(page)
    reports.append(f"dashboard with errors: {violations}" if violations else "")
    admin = UserFactory(role=Role.ADMIN)
    sign_out(page)
    sign_in(page, admin)
    reports.append(audit(page, "/insights/", "an admin"))
    if SCREENSHOTS:
        page.goto("/insights/")
        page.screenshot(path=f"{SCREENSHOTS}/insights-desktop.png", full_page=True)
    assert_no_problems(reports)


def test_the_dashboard_works_on_a_small_phone_without_javascript(
    new_context: Callable[..., BrowserContext],
) -> None:
    library = _figures()
    page = new_context(java_script_enabled=False, viewport=SMALL_PHONE).new_page()
    sign_in(page, UserFactory(role=Role.COORDINATOR, role__organisation=library))
    visit(page, "/insights/")
    page.get_by_label("Organisation", exact=True).select_option(label="Library service")
    submit(page, "main form.fp-insights-filters")
    assert "organisation=library" in page.url
    assert page.locator("svg.fp-chart").count() >= 10
    # (axe needs JavaScript: the other test runs it on the same pages.)
    problems = [sideways_scroll(page, "the dashboard on a small phone")]
    # A download is a link, and works without JavaScript.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV of requests for help by month").click()
    assert download.value.suggested_filename.startswith("insights-helpdesk-months-")
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/insights-phone.png", full_page=True)
    assert_no_problems(problems)
