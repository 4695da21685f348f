"""What first-time staff tripped over on the help desk: forms that spoke to
the resident, a source chosen for them, no check-answers step, and internal
codes on the timeline."""

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role
from fingerpost.helpdesk import services
from fingerpost.helpdesk.models import HelpRequest

from ..factories import OrganisationFactory, UserFactory, grant_role

ANSWERS = {
    "channel": "phone",
    "referral_source": "health",
    "name": "Bob Resident",
    "phone": "01305 123456",
    "email": "",
    "postcode_or_town": "Weymouth",
    "needs": ["online_forms", "video_calls"],
    "what_they_want": "Renew a blue badge",
    "has_device": "no",
    "has_internet": "no",
    "help_modes": ["library"],
    "languages": "",
    "access_needs": "",
    "consent_to_share": "yes",
}


@pytest.fixture
def coordinator(db) -> Client:
    library = OrganisationFactory(name="County Libraries", kind="library")
    user = UserFactory(role=Role.COORDINATOR, full_name="Callum Coordinator")
    grant_role(user, Role.COORDINATOR, library)
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("url", ["helpdesk:record", "helpdesk:refer"])
def test_the_staff_forms_speak_to_the_member_of_staff(coordinator, url) -> None:
    page = coordinator.get(reverse(url)).content.decode()
    assert "The resident&#x27;s name" in page or "The resident's name" in page
    assert "What do they need help with?" in page
    assert "Your name" not in page and "What would you like help with?" not in page
    assert "selected>Library" not in page and 'value="library" selected' not in page


def test_assisted_intake_has_no_source_chosen_for_the_resident(coordinator) -> None:
    page = coordinator.get(reverse("helpdesk:record")).content.decode()
    assert "Choose who suggested it" in page
    refused = coordinator.post(
        reverse("helpdesk:record"), {**ANSWERS, "referral_source": "", "step": "confirm"}
    )
    assert "Select who suggested they ask" in refused.content.decode()
    assert not HelpRequest.objects.exists()


def test_recording_a_request_shows_the_answers_before_saving(coordinator) -> None:
    check = coordinator.post(reverse("helpdesk:record"), ANSWERS)
    assert check.status_code == 200
    page = check.content.decode()
    assert "Check the answers before recording the request" in page
    assert "Bob Resident" in page and "Renew a blue badge" in page
    assert "Video calls with family and friends" in page
    assert not HelpRequest.objects.exists()
    changed = coordinator.post(reverse("helpdesk:record"), {**ANSWERS, "step": "change"})
    assert 'value="Bob Resident"' in changed.content.decode()
    assert not HelpRequest.objects.exists()
    done = coordinator.post(reverse("helpdesk:record"), {**ANSWERS, "step": "confirm"})
    assert done.status_code == 302
    assert HelpRequest.objects.get().name == "Bob Resident"


def test_the_timeline_shows_words_not_codes(coordinator) -> None:
    coordinator.post(reverse("helpdesk:record"), {**ANSWERS, "step": "confirm"})
    request = HelpRequest.objects.get()
    page = coordinator.get(request.get_absolute_url()).content.decode()
    assert "Taken by phone by Callum Coordinator" in page
    assert "(phone)" not in page
    by = UserFactory(role=Role.ADMIN)
    services.triage(
        request=request,
        needs=["video_calls", "online_forms"],
        priority=2,
        by=by,
        expected_version=request.version,
    )
    page = coordinator.get(request.get_absolute_url()).content.decode()
    assert "video_calls, online_forms" not in page
    assert "Video calls with family and friends; Online forms" in page


@pytest.mark.django_db
def test_a_request_made_online_says_so_in_words() -> None:
    OrganisationFactory(kind="library")
    request = services.submit_request(
        answers=services.IntakeAnswers(needs=["email"], name="Rita", email="rita@example.org")
    )
    entry = request.timeline.get()
    assert entry.detail == "Asked online by the resident"


@pytest.mark.django_db
def test_the_coordinators_dashboard_counts_new_waiting_and_overdue_requests() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from ..factories import HelpRequestFactory

    library = OrganisationFactory(kind="library")
    user = UserFactory(role=Role.COORDINATOR)
    grant_role(user, Role.COORDINATOR, library)
    now = timezone.now()
    HelpRequestFactory(organisation=library, status="new")
    HelpRequestFactory(organisation=library, status="new", created_at=now - timedelta(days=5))
    HelpRequestFactory(organisation=library, status="triaged", first_contact_at=now)
    HelpRequestFactory(organisation=library, status="closed", outcome="helped", closed_at=now)
    HelpRequestFactory(status="new")  # another organisation's
    client = Client()
    client.force_login(user)
    page = client.get(reverse("core:dashboard")).content.decode()
    assert "New requests" in page and "Overdue for first contact" in page
    assert '?status=new">2<' in page
    assert '?contact=none">2<' in page
    assert '?contact=overdue">1<' in page
    overdue = client.get(reverse("helpdesk:queue") + "?contact=overdue")
    assert len(overdue.context["page"].object_list) == 1


@pytest.mark.django_db
def test_the_queue_is_paginated() -> None:
    from ..factories import HelpRequestFactory

    library = OrganisationFactory(kind="library")
    user = UserFactory(role=Role.COORDINATOR)
    grant_role(user, Role.COORDINATOR, library)
    HelpRequestFactory.create_batch(51, organisation=library)
    client = Client()
    client.force_login(user)
    first = client.get(reverse("helpdesk:queue"))
    assert len(first.context["page"].object_list) == 50
    assert "?page=2" in first.content.decode()
    assert len(client.get(reverse("helpdesk:queue") + "?page=2").context["page"].object_list) == 1


@pytest.fixture
def weymouth(db):
    from fingerpost.organisations.models import Area, PostcodeDistrict

    area = Area.objects.create(name="Weymouth", slug="weymouth")
    PostcodeDistrict.objects.create(code="DT4", area=area)
    return area


@pytest.mark.django_db
def test_reports_count_a_town_once_however_it_was_typed(weymouth) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from fingerpost.helpdesk import reports

    OrganisationFactory(kind="library")
    for typed in ["DT4 7AB", "dt4", "Weymouth", "DT4 7", "Somewhere else"]:
        services.submit_request(
            answers=services.IntakeAnswers(
                needs=["email"], name="Rita", email="rita@example.org", postcode_or_town=typed
            )
        )
    now = timezone.now()
    figures = reports.figures(
        HelpRequest.objects.all(), start=(now - timedelta(days=1)).date(), end=now.date()
    )
    assert figures["by_area"] == [("Weymouth", 4), ("Not known or outside the area", 1)]


@pytest.mark.django_db
def test_requests_made_before_get_their_town(weymouth) -> None:
    import importlib

    from django.apps import apps

    from ..factories import HelpRequestFactory

    old = [
        HelpRequestFactory(postcode_or_town=typed, area=area, town=None)
        for typed, area in [("DT4 7AB", "DT4"), ("", "Weymouth"), ("dt4", "DT4"), ("Mars", "")]
    ]
    migration = importlib.import_module("fingerpost.helpdesk.migrations.0008_help_request_town")
    migration.fill_in_towns(apps, None)
    towns = [HelpRequest.objects.get(pk=r.pk).town for r in old]
    assert towns == [weymouth, weymouth, weymouth, None]


@pytest.mark.django_db
def test_the_queue_filters_by_town_whatever_was_typed(weymouth, coordinator) -> None:
    from ..factories import HelpRequestFactory

    library = OrganisationFactory(kind="library")
    user = UserFactory(role=Role.COORDINATOR)
    grant_role(user, Role.COORDINATOR, library)
    HelpRequestFactory(organisation=library, area="DT4", town=weymouth)
    HelpRequestFactory(organisation=library, area="Weymouth", town=weymouth)
    HelpRequestFactory(organisation=library, area="DT1", town=None)
    client = Client()
    client.force_login(user)
    page = client.get(reverse("helpdesk:queue"), {"area": "weymouth"})
    assert len(page.context["page"].object_list) == 2


def test_the_request_page_says_what_to_do_next_and_lists_the_tasks(coordinator) -> None:
    coordinator.post(reverse("helpdesk:record"), {**ANSWERS, "step": "confirm"})
    request = HelpRequest.objects.get()
    page = coordinator.get(request.get_absolute_url()).content.decode()
    assert "What to do next" in page and "Triage it" in page
    assert 'class="govuk-task-list"' in page
    # The next task's section is open; the others wait closed, one form in view.
    assert '<details class="govuk-details" id="triage" open>' in page
    assert '<details class="govuk-details" id="close">' in page
    services.triage(
        request=request,
        needs=["email"],
        priority=2,
        by=UserFactory(role=Role.ADMIN),
        expected_version=request.version,
    )
    page = coordinator.get(request.get_absolute_url()).content.decode()
    assert "Contact the resident and record how it went" in page
    assert '<details class="govuk-details" id="contact" open>' in page
