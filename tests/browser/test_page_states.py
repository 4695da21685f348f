"""Help-desk pages in the states other tests do not reach: after a failed
action, with a session booked, with search results and errors, and the
resident's own pages on a 320px-wide phone. Each state passes axe, and where
it matters the keyboard and the error summary work and nothing scrolls sideways."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.events.models import Event
from fingerpost.helpdesk import services
from fingerpost.helpdesk.models import HelpRequest
from fingerpost.organisations.models import Organisation
from tests.champions.factories import ready_champion
from tests.factories import (
    EventFactory,
    HelpRequestFactory,
    OrganisationFactory,
    UserFactory,
    grant_role,
)

from .axe import assert_no_problems, format_violations, run_axe
from .checks import (
    SMALL_PHONE,
    error_summary_problems,
    is_focused,
    label_problems,
    sideways_scroll,
    tab_to,
)
from .pages import sign_in, visit


def _axe(page: Page, where: str) -> str:
    return format_violations(run_axe(page), where)


def _on_a_small_phone(page: Page, where: str) -> list[str]:
    """What a 320px-wide page in this state must pass: axe, reflow, labels."""
    return [_axe(page, where), sideways_scroll(page, where), label_problems(page, where)]


def _library() -> Organisation:
    # The library service handles requests nobody has routed (queries.default_organisation).
    return OrganisationFactory(name="County Libraries", kind="library")


def _coordinator_of(organisation: Organisation) -> User:
    coordinator = UserFactory(role=Role.COORDINATOR, full_name="Cora Coordinator")
    grant_role(coordinator, Role.COORDINATOR, organisation)
    return coordinator


def _session(**kwargs: object) -> Event:
    """A code club residents can be booked onto."""
    return EventFactory(
        **{"title": "Code club", "audience": "public", "venue_name": "Dorchester Library", **kwargs}
    )


def _book(request: HelpRequest, by: User, event: Event) -> HelpRequest:
    services.book_session_place(
        request=request, by=by, expected_version=request.version, event=event
    )
    request.refresh_from_db()
    return request


# ------------------------------------------------------- the coordinator's request page


def _open(page: Page, summary: str) -> None:
    """Open one of the request page's sections, as a person would."""
    details = page.locator("details", has=page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary").click()


def test_request_page_after_failed_actions_and_with_a_session_booked(page: Page) -> None:
    library = _library()
    coordinator = _coordinator_of(library)
    _session()
    request = HelpRequestFactory(organisation=library)
    sign_in(page, coordinator)
    visit(page, request.get_absolute_url())
    reports = []

    # Assigning without choosing a champion: an error on a field.
    _open(page, "Assign to a digital champion")
    assign = page.locator("form[action$='/assign/']")
    with page.expect_navigation() as sent:
        assign.get_by_role("button", name="Assign").click()
    assert sent.value and sent.value.status == 400
    where = "the request page after assigning nobody"
    reports += [_axe(page, where), error_summary_problems(page, where)]

    # Closing as helped without saying what was achieved: the service refuses.
    _open(page, "Close the request")
    close = page.locator("form[action$='/close/']")
    close.get_by_label("Helped", exact=True).check()
    with page.expect_navigation() as sent:
        close.get_by_role("button", name="Close request").click()
    assert sent.value and sent.value.status == 400
    summary = page.locator(".govuk-error-summary")
    assert "Say what the resident can now do" in summary.inner_text()
    # (Where its link leads is test_a_failed_action_error_leads_to_its_form, below.)
    reports.append(_axe(page, "the request page after closing as helped with no detail"))

    # Book a place with the keyboard alone: Tab to the session, choose it, Tab, Enter.
    _open(page, "Book a place at a session")
    choose = page.locator("form[action$='/book/'] select")
    tab_to(page, choose)
    page.keyboard.press("ArrowDown")
    assert choose.evaluate("el => el.selectedOptions[0].textContent").startswith("Code club")
    page.keyboard.press("Tab")
    assert is_focused(page.locator("form[action$='/book/'] button")), "Tab skipped the button"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert (
        page.locator(".govuk-notification-banner")
        .inner_text()
        .endswith("Session booked: see the timeline")
    )
    booked = page.locator(".govuk-summary-list__row", has_text="Session")
    assert "Code club" in booked.inner_text()
    reports.append(_axe(page, "the request page with a session booked"))
    assert_no_problems(reports)


def test_a_failed_action_error_leads_to_its_form(page: Page) -> None:
    library = _library()
    request = HelpRequestFactory(organisation=library)
    sign_in(page, _coordinator_of(library))
    visit(page, request.get_absolute_url())
    _open(page, "Close the request")
    close = page.locator("form[action$='/close/']")
    close.get_by_label("Helped", exact=True).check()
    with page.expect_navigation():
        close.get_by_role("button", name="Close request").click()
    where = "the request page after closing as helped with no detail"
    shown = close.locator(".govuk-error-message").count()
    assert_no_problems(
        [error_summary_problems(page, where), "" if shown else f"{where}: no error at the form"]
    )


def test_request_page_fields_each_have_their_own_label(page: Page) -> None:
    library = _library()
    request = HelpRequestFactory(organisation=library)
    sign_in(page, _coordinator_of(library))
    visit(page, request.get_absolute_url())
    assert_no_problems([label_problems(page, "the request page")])


# ------------------------------------------------------- data protection and reports


def test_data_protection_search_results_and_a_bad_phone_number(
    page: Page, user_with_role: Callable[[str], User]
) -> None:
    library = _library()
    coordinator = _coordinator_of(library)
    admin = user_with_role(Role.ADMIN)
    first = HelpRequestFactory(
        organisation=library,
        name="Dora Resident",
        email="dora@example.org",
        languages="Polish",
        access_needs="Large print, please.",
        what_they_want="Video call my grandchildren",
    )
    first = _book(first, coordinator, _session())
    services.add_note(request=first, by=coordinator, text="Rang back; she has a tablet.")
    services.flag_safeguarding(
        request=first,
        by=coordinator,
        expected_version=first.version,
        detail="Someone is asking her for bank details.",
    )
    done = HelpRequestFactory(organisation=library, name="Dora Resident", email="dora@example.org")
    services.close(
        request=done, by=coordinator, expected_version=done.version, outcome="signposted"
    )
    sign_in(page, admin)
    visit(page, "/data-protection/")
    form = page.locator("main form").first
    reports = []

    form.get_by_label("Their email address").fill("dora@example.org")
    with page.expect_navigation():
        form.get_by_role("button", name="Find").click()
    main = page.locator("main")
    assert "3 records found" in main.inner_text()
    assert main.get_by_role("heading", name="Requests for digital help").count() == 1
    assert main.get_by_role("heading", name="Event bookings").count() == 1
    assert main.get_by_label("Dora Resident, request", exact=False).count() == 2
    where = "data protection, a resident found"
    reports += [_axe(page, where), label_problems(page, where)]

    form.get_by_label("Their email address").fill("")
    form.get_by_label("Their phone number").fill("abc")
    with page.expect_navigation():
        form.get_by_role("button", name="Find").click()
    assert "Enter a phone number" in page.locator(".govuk-error-summary").inner_text()
    where = "data protection, a bad phone number"
    reports += [_axe(page, where), error_summary_problems(page, where)]
    assert_no_problems(reports)


def test_report_with_a_bad_date_and_with_figures(page: Page) -> None:
    library = _library()
    coordinator = _coordinator_of(library)
    now = timezone.now()
    for index, (status, outcome) in enumerate(
        [("new", ""), ("assigned", ""), ("in_progress", ""), ("closed", "helped")] * 2
    ):
        HelpRequestFactory(
            organisation=library,
            status=status,
            outcome=outcome,
            outcome_detail="Can now video call" if outcome else "",
            closed_at=now if outcome else None,
            first_contact_at=now - timedelta(hours=index) if status != "new" else None,
            created_at=now - timedelta(days=index + 1, hours=3),
            area=["DT1", "Weymouth", "BH15"][index % 3],
            referral_source=["self", "library", "health"][index % 3],
            with_needs=[["email"], ["video_calls", "staying_safe"]][index % 2],
        )
    sign_in(page, coordinator)
    reports = []

    visit(page, "/help-requests/reports/")
    main = page.locator("main")
    assert "8 requests" in main.inner_text()
    assert main.locator("table").count() == 5
    reports.append(_axe(page, "the report with figures"))

    form = page.locator("main form")
    form.get_by_label("From").fill("31/2/2026")
    with page.expect_navigation():
        form.get_by_role("button", name="Show").click()
    where = "the report with a date that does not exist"
    assert "Enter a real date" in page.locator(".govuk-error-summary").inner_text()
    reports += [_axe(page, where), error_summary_problems(page, where)]
    assert_no_problems(reports)


def test_report_title_says_there_is_an_error(page: Page) -> None:
    sign_in(page, _coordinator_of(_library()))
    visit(page, "/help-requests/reports/?start=31/2/2026")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: "), f"the title is {page.title()!r}"


# ------------------------------------------------------- the resident, on a small phone


@pytest.fixture
def phone(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context(viewport=SMALL_PHONE).new_page()


def test_resident_status_page_in_each_state_on_a_small_phone(phone: Page) -> None:
    page = phone
    library = _library()
    coordinator = _coordinator_of(library)
    champion = ready_champion(UserFactory(role=Role.CHAMPION, full_name="Chloe Champion"))
    new = HelpRequestFactory(organisation=library)
    assigned = HelpRequestFactory(organisation=library)
    services.assign(
        request=assigned, by=coordinator, expected_version=assigned.version, champion=champion
    )
    session = _session(title="Code club for beginners", capacity=1)
    booked = _book(HelpRequestFactory(organisation=library), coordinator, session)
    waiting = _book(HelpRequestFactory(organisation=library), coordinator, session)
    reports = []

    def check(request: HelpRequest, what: str, expected: str, query: str = "") -> None:
        visit(page, f"/get-help/status/{request.token}/{query}")
        assert expected in page.locator("main").inner_text(), f"{what}: no {expected!r}"
        reports.extend(_on_a_small_phone(page, f"the status page, {what}, at 320px"))

    check(new, "new", "We have your request.")
    check(assigned, "assigned to a champion", "Chloe, a volunteer digital champion,")
    check(booked, "with a session booked", "We have booked you a place")
    check(waiting, "on a waiting list", "You are on the waiting list for a session")
    check(booked, "asking to confirm", "Are you sure you no longer need help?", "?withdraw=1")

    # Confirm with the keyboard alone: skip to the content, Tab to the button, Enter.
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("link", name="Skip to main content"))
    page.keyboard.press("Enter")
    yes = page.get_by_role("button", name="Yes, I no longer need help")
    tab_to(page, yes, limit=10)
    page.keyboard.press("Tab")
    assert is_focused(page.get_by_role("link", name="No, go back"))
    page.keyboard.press("Shift+Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "You told us you no longer need help." in page.locator("main").inner_text()
    reports.extend(_on_a_small_phone(page, "the status page, withdrawn, at 320px"))
    assert_no_problems(reports)


def _contact(page: Page) -> None:
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Phone number").fill("07700 900982")


# Each question after the first: how to answer it, once its error has been checked.
ANSWERS: list[tuple[str, Callable[[Page], None]]] = [
    ("device", lambda page: page.get_by_label("Yes", exact=True).check()),
    ("internet", lambda page: page.get_by_label("Not sure", exact=True).check()),
    ("how", lambda page: page.get_by_label("At a library").check()),
    ("free", lambda page: page.get_by_label("Tuesday").check()),  # optional: no error
    ("contact", _contact),
    ("where", lambda page: page.get_by_label("What is your postcode or town?").fill("DT1 1XJ")),
    ("more", lambda page: None),  # every question on it is optional: no error to show
    ("consent", lambda page: page.get_by_label("Yes", exact=True).check()),
]


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def test_asking_for_help_with_errors_on_a_small_phone(phone: Page) -> None:
    page = phone
    _library()
    reports = []

    # The first question, answered with the keyboard from its error.
    visit(page, "/get-help/ask/needs/")
    _continue(page)
    where = "question 'needs' with an error, at 320px"
    reports += [*_on_a_small_phone(page, where), error_summary_problems(page, where)]
    page.locator(".govuk-error-summary a").first.focus()
    page.keyboard.press("Enter")  # to the first box, by the error summary's link
    first = page.locator("#id_needs_0")
    assert is_focused(first), "the error summary's link did not move focus to the first box"
    page.keyboard.press("Space")
    assert first.is_checked()
    tab_to(page, page.get_by_role("button", name="Continue"), limit=15)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for step, answer in ANSWERS:
        assert page.url.endswith(f"/get-help/ask/{step}/"), f"expected {step}, at {page.url}"
        if step not in ("more", "free"):
            _continue(page)
            where = f"question {step!r} with an error, at 320px"
            reports += [*_on_a_small_phone(page, where), error_summary_problems(page, where)]
        else:
            reports += _on_a_small_phone(page, f"question {step!r}, at 320px")
        answer(page)
        _continue(page)

    assert page.url.endswith("/get-help/ask/check/")
    reports += _on_a_small_phone(page, "check your answers, at 320px")
    with page.expect_navigation():
        page.get_by_role("button", name="Send request").click()
    assert page.locator("h1").inner_text() == "Request sent"
    reports += _on_a_small_phone(page, "request sent, at 320px")
    assert_no_problems(reports)
