"""A resident with no account, on a 320 px phone without JavaScript, finds the
nearest drop-in for video calls, checks their skills and asks for help with
the gaps filled in; every new page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.roles import Role
from fingerpost.directory.models import HelpLocation, OpeningException
from fingerpost.directory.services import place_from_postcode
from fingerpost.skills.framework import AREAS
from fingerpost.skills.models import SkillsCheckResult
from tests.directory.factories import EbookServiceFactory, HelpLocationFactory, dorset_areas
from tests.factories import EventFactory, UserFactory

from .axe import assert_no_axe_violations, assert_no_problems, audit, run_axe
from .checks import SMALL_PHONE, sideways_scroll
from .pages import sign_in, submit, visit


def _directory() -> dict[str, HelpLocation]:
    dorset_areas()
    places = {}
    for name, town, postcode, lat, lng, needs in [
        ("Weymouth Library", "Weymouth", "DT4 8NN", 50.6098, -2.4571, ["video_calls", "email"]),
        ("Dorchester Library", "Dorchester", "DT1 1EE", 50.7146, -2.438, ["video_calls"]),
        ("Blandford Library", "Blandford Forum", "DT11 7DW", 50.8565, -2.163, ["online_forms"]),
    ]:
        location = HelpLocationFactory(
            name=name,
            slug=name.lower().replace(" ", "-"),
            town=town,
            postcode=postcode,
            latitude=lat,
            longitude=lng,
            needs=needs,
            hours={0: ("09:30", "17:00"), 3: ("09:30", "19:00")},
        )
        place_from_postcode(location)
        location.save()
        places[name] = location
    weymouth = places["Weymouth Library"]
    OpeningException.objects.create(
        location=weymouth, date=timezone.localdate() + timedelta(days=5), reason="Bank holiday"
    )
    EventFactory(
        title="Video calls drop-in",
        kind="drop_in",
        audience="public",
        organisation=weymouth.organisation,
        starts_at=timezone.now() + timedelta(days=3),
    )
    EbookServiceFactory(name="Library e-books", organisation=weymouth.organisation)
    return places


@pytest.fixture
def phone_without_js(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(java_script_enabled=False, viewport=SMALL_PHONE).new_page()


def test_resident_finds_a_drop_in_checks_skills_and_asks_for_help(
    phone_without_js: Page,
) -> None:
    page = phone_without_js
    _directory()
    problems = []

    # Find the nearest drop-in for video calls with family.
    visit(page, "/")
    page.locator("#navigation").get_by_role("link", name="Find help near you").click()
    page.get_by_label("Town or postcode").fill("DT4 7AB")
    page.get_by_label("Video calls with family and friends").check()
    submit(page)
    problems.append(sideways_scroll(page, "search results"))
    results = page.locator(".fp-results li")
    assert results.first.locator("h3").inner_text() == "Weymouth Library"
    assert "Video calls drop-in" in results.first.inner_text()
    assert "Blandford Library" not in page.locator("main").inner_text()
    results.first.get_by_role("link", name="Weymouth Library").click()
    assert page.locator("h1").inner_text() == "Weymouth Library"
    assert "Bank holiday" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Video calls drop-in").is_visible()
    problems.append(sideways_scroll(page, "location page"))

    # Check their skills: everything yes except video calls and scams.
    visit(page, "/skills-check/")
    page.get_by_role("button", name="Start now").click()
    for skill_area in AREAS:
        problems.append(sideways_scroll(page, f"skills page {skill_area.key}"))
        for task in skill_area.tasks:
            group = page.get_by_role("group", name=str(task.text))
            answer = "Not yet" if task.key in {"video_call", "scams"} else "Yes, I can do this"
            group.get_by_label(answer).check()
        submit(page)
    page.get_by_label("What is your town or postcode? (optional)").fill("dt4")
    submit(page)
    assert page.locator("h1").inner_text() == "Your digital skills"
    main = page.locator("main").inner_text()
    assert "Make a video call, with someone there to help the first time" in main
    assert "Weymouth Library" in main
    problems.append(sideways_scroll(page, "skills results"))
    assert SkillsCheckResult.objects.get().gaps_communicating == 1

    # Ask for help: the needs question is already answered from the gaps.
    page.get_by_role("button", name="Ask for help with these").click()
    page.wait_for_url("**/get-help/ask/needs/")
    assert page.get_by_label("Video calls with family and friends").is_checked()
    assert page.get_by_label("Staying safe online").is_checked()
    assert not page.get_by_label("Finding work").is_checked()
    assert (
        "video call"
        in page.get_by_label(
            "Tell us what you would like to be able to do (optional)"
        ).input_value()
    )
    submit(page)
    assert page.url.endswith("/get-help/ask/device/")
    assert_no_problems(problems)


def test_new_pages_pass_axe(page: Page) -> None:
    places = _directory()
    weymouth = places["Weymouth Library"]
    SkillsCheckResult.objects.bulk_create(
        [SkillsCheckResult(**{f"gaps_{a.key}": n % 2 for a in AREAS}) for n in range(12)]
    )
    reports = [
        audit(page, path, "a resident")
        for path in [
            "/",
            "/find-help/",
            "/find-help/?place=DT4+7AB&need=video_calls",
            "/find-help/?place=Narnia",
            weymouth.get_absolute_url(),
            weymouth.organisation.get_absolute_url(),
            "/find-help/e-books/",
            "/skills-check/",
            "/skills-check/foundation/",
            "/figures/",
        ]
    ]
    # A page with errors, the results page and the email page, reached by answering.
    visit(page, "/skills-check/foundation/")
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert_no_axe_violations(page, "skills page with errors")
    for skill_area in AREAS:
        visit(page, f"/skills-check/{skill_area.key}/")
        for task in skill_area.tasks:
            page.get_by_role("group", name=str(task.text)).get_by_label(
                "I can with some help"
            ).check()
        submit(page)
    submit(page)
    reports.append(audit(page, "/skills-check/results/", "a resident"))
    reports.append(audit(page, "/skills-check/results/email/", "a resident"))
    # Coordinators' pages.
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=weymouth.organisation)
    sign_in(page, coordinator)
    for path in [
        "/find-help/manage/",
        f"/find-help/manage/{weymouth.slug}/",
        f"/find-help/manage/{weymouth.slug}/hours/",
        f"/find-help/manage/{weymouth.slug}/changes/",
    ]:
        reports.append(audit(page, path, "a coordinator"))
    visit(page, f"/find-help/manage/{weymouth.slug}/hours/")
    page.locator("#id_opens_2").fill("10:00")
    submit(page)
    reports.append("" if not run_axe(page) else f"hours form with errors: {run_axe(page)}")
    assert_no_problems(reports)
