"""Every page of the events and help-desk flows passes axe, for the people who
use them: the booking flow and private pages, the organiser's back office,
the resident's help questions and the coordinator's request page."""

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import Page

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role
from fingerpost.events import services as event_services
from fingerpost.events.models import FeedbackQuestion, RegistrationQuestion
from tests.factories import EventFactory, HelpRequestFactory, OrganisationFactory, grant_role

from .axe import assert_no_axe_violations, assert_no_problems, audit
from .pages import sign_in, submit, visit


def test_booking_flow_and_private_pages(page: Page, transactional_db: None) -> None:
    event = EventFactory(title="Code club", capacity=1, max_places_per_booking=3, audience="public")
    RegistrationQuestion.objects.create(event=event, text="Any access needs?", kind="yes_no")
    visit(page, f"/events/{event.pk}/book/")
    page.fill("#id_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.org")
    submit(page)
    assert_no_axe_violations(page, "registration questions")
    submit(page)
    assert_no_axe_violations(page, "check your answers")
    submit(page)
    assert "Your place is booked" in page.content()
    assert_no_axe_violations(page, "confirmation")
    waiting = event_services.book_places(event_id=event.pk, name="B", email="b@example.org")
    reports = [
        audit(page, waiting.booking.get_manage_url(), "the person waiting"),
        audit(page, waiting.booking.get_manage_url() + "?cancel=1", "the person waiting"),
    ]
    assert_no_problems(reports)


def test_organiser_pages(page: Page, user_with_role: Callable[[str], User]) -> None:
    organiser = user_with_role(Role.ORGANISER)
    event = EventFactory(capacity=2)
    FeedbackQuestion.objects.create(event=event, text="How useful was it?", kind="rating")
    came = event_services.book_places(event_id=event.pk, name="Came", email="c@example.org").booking
    event_services.book_places(event_id=event.pk, name="Booked", email="d@example.org")
    event_services.book_places(event_id=event.pk, name="Waiting", email="e@example.org")
    event_services.check_in(booking=came, now=timezone.now(), early=True)
    sign_in(page, organiser)
    base = f"/events/manage/{event.pk}"
    paths = [
        "/events/manage/",
        "/events/manage/new/",
        f"{base}/",
        f"{base}/edit/",
        f"{base}/questions/",
        f"{base}/feedback-questions/",
        f"{base}/attendees/",
        f"{base}/waiting-list/",
        f"{base}/check-in/",
        f"{base}/check-in/?q=Came",
        f"{base}/check-in/{came.reference}/",
        f"{base}/walk-in/",
        f"{base}/feedback/",
        f"{base}/copy/",
        f"{base}/repeat/",
        f"{base}/cancel/",
    ]
    assert_no_problems([audit(page, path, "organiser") for path in paths])


def test_help_desk_pages(page: Page, user_with_role: Callable[[str], User]) -> None:
    library = OrganisationFactory(name="County Libraries", kind="library")
    reports = [audit(page, "/get-help/ask/needs/", "a resident")]
    submit(page)  # nothing chosen: the error summary
    assert_no_axe_violations(page, "question page with an error")
    coordinator = user_with_role(Role.COORDINATOR)
    grant_role(coordinator, Role.COORDINATOR, library)
    request = HelpRequestFactory(organisation=library)
    sign_in(page, coordinator)
    for path in [
        "/help-requests/",
        "/help-requests/new/",
        "/help-requests/reports/",
        request.get_absolute_url(),
        "/help-requests/refer/",
        "/help-requests/referrals/",
    ]:
        reports.append(audit(page, path, "coordinator"))
    reports.append(audit(page, f"/get-help/status/{request.token}/", "the resident"))
    assert_no_problems(reports)
