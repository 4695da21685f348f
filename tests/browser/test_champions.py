"""The champions network in a browser, without JavaScript on a small phone:
a coordinator picks a champion from the ranked suggestions, the champion
accepts, logs a session and closes the request; every new page passes axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.roles import Role
from fingerpost.champions.models import HelpSession, Interest
from fingerpost.helpdesk import services as helpdesk
from fingerpost.helpdesk.models import HelpRequest
from tests.champions.factories import area, ready_champion
from tests.factories import HelpRequestFactory, OrganisationFactory, UserFactory

from .axe import assert_no_problems, audit, format_violations, run_axe
from .checks import SMALL_PHONE, sideways_scroll
from .pages import sign_in, sign_out, submit, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_without_js(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(java_script_enabled=False, viewport=SMALL_PHONE).new_page()


def _world():
    library = OrganisationFactory(kind="library", name="Weymouth Library")
    weymouth = area("Weymouth", "DT4")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    champion = ready_champion(
        UserFactory(role=Role.CHAMPION, full_name="Chloe Champion"),
        areas=[weymouth],
        skills=["video_calls", "communicating"],
        organisation=library,
    )
    help_request = HelpRequestFactory(
        organisation=library,
        area="DT4",
        status="triaged",
        name="Rosa Resident",
        with_needs=["video_calls"],
    )
    return library, coordinator, champion, help_request


def test_from_the_queue_to_an_accepted_champion_without_javascript(
    phone_without_js: Page,
) -> None:
    page = phone_without_js
    _, coordinator, champion, help_request = _world()
    problems = []

    sign_in(page, coordinator)
    visit(page, f"/help-requests/{help_request.reference}/")
    page.get_by_role("link", name="See champions ranked for this request, with reasons").click()
    main = page.locator("main").inner_text()
    assert "Serves Weymouth" in main and "Skills match: video calls" in main
    problems.append(sideways_scroll(page, "suggestions"))
    with page.expect_navigation():
        page.get_by_role("button", name="Assign to Chloe Champion").click()
    assert "Offered to Chloe Champion" in page.locator("main").inner_text()
    sign_out(page)

    sign_in(page, champion)
    visit(page, "/champions/workspace/")
    page.get_by_role("link", name=f"Request {help_request.reference}").click()
    assert "Rosa Resident" not in page.locator("main").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept this request").click()
    assert "Rosa Resident" in page.locator("main").inner_text()
    problems.append(sideways_scroll(page, "an accepted request"))
    form = "main form[action$='/session/']"
    page.locator(form).get_by_label("Date of the session").fill(timezone.localdate().isoformat())
    page.locator(form).get_by_label("How long was it, in minutes?").fill("60")
    page.locator(form).get_by_role("group", name="How was it given?").get_by_label(
        "By video"
    ).check()
    page.locator(form).get_by_role(
        "group", name="How confident was the resident before?"
    ).get_by_label("Not at all confident").check()
    page.locator(form).get_by_role("group", name="How confident were they after?").get_by_label(
        "Very confident"
    ).check()
    page.locator(form).get_by_role("group", name="Would they like another session?").get_by_label(
        "No"
    ).check()
    submit(page, form)
    assert "Session logged" in page.locator("main").inner_text()
    close = "main form[action$='/close/']"
    page.locator(close).get_by_role("group", name="Outcome").get_by_label(
        "Helped", exact=True
    ).check()
    page.locator(close).get_by_label(
        "What can the resident now do, or where were they referred?"
    ).fill("Makes video calls alone")
    submit(page, close)
    assert HelpRequest.objects.get(pk=help_request.pk).status == "closed"
    visit(page, "/champions/me/hours/")
    assert "60 minutes" in page.locator("main").inner_text()
    assert_no_problems(problems)


def test_new_pages_pass_axe(page: Page) -> None:
    library, coordinator, champion, help_request = _world()
    offered = HelpRequestFactory(organisation=library, area="DT4", status="triaged")
    helpdesk.assign(
        request=offered, by=coordinator, expected_version=offered.version, champion=champion
    )
    interest = Interest.objects.create(
        name="Vera Lane", email="vera@example.org", postcode_or_town="DT4", skills=["devices"]
    )
    for _ in range(2):
        HelpSession.objects.create(
            champion=champion,
            organisation=library,
            given_on=timezone.localdate(),
            minutes=300,
            mode="phone",
            confidence_before=1,
            confidence_after=3,
        )
    reports = [
        audit(page, path, "a visitor")
        for path in (
            "/champions/volunteer/",
            "/champions/volunteer/about-you/",
        )
    ]
    # A question page with errors.
    submit(page)
    assert "There is a problem" in page.locator("main").inner_text()
    reports.append(format_violations(run_axe(page), "a question page with errors"))
    sign_in(page, champion)
    profile = champion.champion_profile
    reports += [
        audit(page, path, "a champion")
        for path in (
            "/champions/workspace/",
            f"/champions/workspace/{offered.reference}/",
            "/champions/me/",
            "/champions/me/hours/",
            "/champions/me/certificates/10/",
        )
    ]
    sign_out(page)
    sign_in(page, coordinator)
    reports += [
        audit(page, path, "a coordinator")
        for path in (
            "/champions/",
            f"/champions/{profile.pk}/",
            f"/champions/match/{help_request.reference}/",
            f"/champions/match/{help_request.reference}/?days=mon&days=tue",
            "/champions/propose/",
            "/champions/offers/",
            f"/champions/offers/{interest.pk}/",
            "/champions/hours/",
            f"/help-requests/{offered.reference}/",
        )
    ]
    assert_no_problems(reports)
