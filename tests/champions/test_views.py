"""Every page by who asks: anonymous, an unverified account, each role, an
admin and a coordinator who is also a champion. A champion sees only their
own requests, and only the resident's details they need."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fingerpost.accounts.roles import Role
from fingerpost.champions import queries
from fingerpost.champions.models import Assignment, HelpSession, Interest
from fingerpost.core.models import AuditEntry
from fingerpost.helpdesk import services as helpdesk
from fingerpost.helpdesk.models import HelpRequest, Status

from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory, grant_role
from ..querycount import assert_flat_query_count
from .factories import area, ready_champion

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "unverified", *Role.values, "coordinator+champion"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def library():
    return OrganisationFactory(kind="library", name="Weymouth Library")


def caller(kind: str, library) -> tuple[Client, object]:
    if kind == "anonymous":
        return Client(), None
    if kind == "unverified":
        user = UserFactory(role="")
    elif kind == "coordinator+champion":
        user = UserFactory(role=Role.COORDINATOR, role__organisation=library)
        grant_role(user, Role.CHAMPION, library)
        ready_champion(user)
    elif kind == Role.CHAMPION:
        user = ready_champion()
    elif kind in (Role.COORDINATOR, Role.ORGANISER):
        user = UserFactory(role=kind, role__organisation=library)
    else:
        user = UserFactory(role=kind)
    return signed_in(user), user


def _expected(kind: str, audience: str) -> int:
    if audience == "public":
        return 200
    if kind == "anonymous":
        return 302
    allowed = {
        # The operator holds every permission (Django's superuser).
        "champion": {Role.CHAMPION, Role.ADMIN, "coordinator+champion"},
        "coordinator": {Role.COORDINATOR, Role.ADMIN, "coordinator+champion"},
    }[audience]
    return 200 if kind in allowed else 403


@pytest.fixture
def world(library):
    """A request waiting, a champion's profile, an offer to volunteer, hours."""
    area("Weymouth", "DT4")
    waiting = HelpRequestFactory(organisation=library, area="DT4", status="triaged")
    someone = ready_champion()
    interest = Interest.objects.create(
        name="Vera", email="vera@example.org", postcode_or_town="DT4", skills=["communicating"]
    )
    for _ in range(2):
        HelpSession.objects.create(
            champion=someone,
            organisation=library,
            given_on=timezone.localdate(),
            minutes=350,
            mode="phone",
            confidence_before=1,
            confidence_after=3,
        )
    return {
        "waiting": waiting,
        "profile": someone.champion_profile,
        "interest": interest,
    }


def urls(world) -> list[tuple[str, str]]:
    profile, ref = world["profile"], world["waiting"].reference
    return [
        ("public", reverse("champions:volunteer_start")),
        ("public", reverse("champions:volunteer_step", args=["about-you"])),
        ("champion", reverse("champions:workspace")),
        ("champion", reverse("champions:my_profile")),
        ("champion", reverse("champions:my_hours")),
        ("coordinator", reverse("champions:list")),
        ("coordinator", reverse("champions:propose")),
        ("coordinator", reverse("champions:interests")),
        ("coordinator", reverse("champions:interest", args=[world["interest"].pk])),
        ("coordinator", reverse("champions:hours")),
        ("coordinator", reverse("champions:hours") + "?format=csv"),
        ("coordinator", reverse("champions:hours") + "?format=xlsx"),
        ("coordinator", reverse("champions:detail", args=[profile.pk])),
        ("coordinator", reverse("champions:certificate", args=[profile.pk, 10])),
        ("coordinator", reverse("champions:suggestions", args=[ref])),
    ]


@pytest.mark.parametrize("kind", CALLERS)
def test_every_page_by_who_asks(library, world, kind: str) -> None:
    client, _ = caller(kind, library)
    for audience, url in urls(world):
        response = client.get(url)
        expected = _expected(kind, audience)
        if kind == Role.ADMIN and url == reverse("champions:my_profile"):
            # No champion profile of their own: the page says a coordinator sets it up.
            assert "You do not have a champion profile yet" in response.content.decode()
        # An admin coordinates requests of every organisation; a coordinator
        # elsewhere would get a 404 for the request, never its details.
        assert response.status_code == expected, (kind, url, response.status_code)
        if expected == 302:
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["champions:set_up", "champions:propose", "champions:pause"])
def test_posts_by_people_without_the_role_are_refused(library, name: str) -> None:
    client, _ = caller(Role.MEMBER, library)
    assert client.post(reverse(name), {}).status_code == 403
    assert Client().post(reverse(name), {}).status_code == 302


def _offered(library, champion, coordinator=None):
    coordinator = coordinator or UserFactory(role=Role.COORDINATOR, role__organisation=library)
    help_request = HelpRequestFactory(
        organisation=library,
        name="Rosa Resident",
        phone="07700900123",
        email="rosa@example.org",
        what_they_want="Call my grandson",
        access_needs="Uses a hearing aid",
        referral_source="health",
    )
    helpdesk.assign(
        request=help_request,
        by=coordinator,
        expected_version=help_request.version,
        champion=champion,
    )
    helpdesk.flag_safeguarding(
        request=HelpRequest.objects.get(pk=help_request.pk),
        by=coordinator,
        expected_version=HelpRequest.objects.get(pk=help_request.pk).version,
        detail="Secret concern about a neighbour",
    )
    return HelpRequest.objects.get(pk=help_request.pk), coordinator


def test_a_champion_sees_only_what_they_need_and_contact_details_only_once_accepted(library):
    champion = ready_champion()
    help_request, _ = _offered(library, champion)
    client = signed_in(champion)
    url = reverse("champions:request", args=[help_request.reference])
    page = client.get(url).content.decode()
    assert "Call my grandson" in page and "Uses a hearing aid" in page
    for hidden in ("Rosa Resident", "07700900123", "rosa@example.org", "DT1 1AA"):
        assert hidden not in page
    assert (
        client.post(reverse("champions:accept", args=[help_request.reference])).status_code == 302
    )
    page = client.get(url).content.decode()
    for shown in ("Rosa Resident", "07700900123", "rosa@example.org", "DT1 1AA"):
        assert shown in page
    # Never: how they were referred, the consent flag, restricted safeguarding notes.
    for hidden in ("Secret concern", "Health", "Consent to share", "How they asked"):
        assert hidden not in page
    # Every look is audited.
    assert (
        AuditEntry.objects.filter(
            action="view", subject_reference=help_request.reference, actor=champion
        ).count()
        == 2
    )


def test_a_champion_never_reaches_a_request_that_is_not_theirs(library):
    mine, theirs = ready_champion(), ready_champion()
    help_request, _ = _offered(library, theirs)
    unassigned = HelpRequestFactory(organisation=library)
    client = signed_in(mine)
    for reference in (help_request.reference, unassigned.reference, "HNOSUCH1"):
        assert client.get(reverse("champions:request", args=[reference])).status_code == 404
        for action in ("accept", "decline", "log_session", "close"):
            assert (
                client.post(
                    reverse(f"champions:{action}", args=[reference]), {"reason": "x"}
                ).status_code
                == 404
            )
        # Nor the coordinators' pages about it.
        assert client.get(reverse("champions:suggestions", args=[reference])).status_code == 403
    # A coordinator who is also a champion sees their organisation's request in
    # the help desk, but not in their own workspace: it is not theirs.
    both = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    grant_role(both, Role.CHAMPION, library)
    ready_champion(both)
    assert (
        signed_in(both).get(reverse("champions:request", args=[help_request.reference])).status_code
        == 404
    )
    assert (
        signed_in(both)
        .get(reverse("champions:suggestions", args=[help_request.reference]))
        .status_code
        == 200
    )
    # A coordinator of another organisation gets nothing.
    elsewhere = UserFactory(role=Role.COORDINATOR)
    assert (
        signed_in(elsewhere)
        .get(reverse("champions:suggestions", args=[help_request.reference]))
        .status_code
        == 404
    )


def test_from_the_queue_to_an_accepted_champion_and_hours_in_the_totals(library):
    """The done-means path: suggestions with reasons, assign, accept, log, close, totals."""
    weymouth = area("Weymouth", "DT4")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    champion = ready_champion(areas=[weymouth], skills=["video_calls"], organisation=library)
    help_request = HelpRequestFactory(
        organisation=library, area="DT4", status="triaged", with_needs=["video_calls"]
    )
    staff = signed_in(coordinator)
    # The help request's page links to the ranked champions.
    assert (
        reverse("champions:suggestions", args=[help_request.reference])
        in staff.get(help_request.get_absolute_url()).content.decode()
    )
    page = staff.get(reverse("champions:suggestions", args=[help_request.reference]))
    text = page.content.decode()
    assert "Serves Weymouth" in text and "Skills match: video calls" in text
    response = staff.post(
        reverse("champions:suggestions", args=[help_request.reference]),
        {"version": help_request.version, "champion": champion.pk},
    )
    assert response.status_code == 302
    volunteer = signed_in(champion)
    assert help_request.reference in volunteer.get(reverse("champions:workspace")).content.decode()
    volunteer.post(reverse("champions:accept", args=[help_request.reference]))
    response = volunteer.post(
        reverse("champions:log_session", args=[help_request.reference]),
        {
            "given_on": timezone.localdate().isoformat(),
            "minutes": "75",
            "mode": "video",
            "skills": ["video_calls"],
            "confidence_before": "1",
            "confidence_after": "4",
            "another_wanted": "no",
            "note": "Called her grandson",
        },
    )
    assert response.status_code == 302
    response = volunteer.post(
        reverse("champions:close", args=[help_request.reference]),
        {"outcome": "helped", "detail": "Makes video calls alone"},
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.status == Status.CLOSED
    totals = staff.get(reverse("champions:hours")).content.decode()
    assert "75" in str(queries.hours_by_champion()[0]["minutes"]) and "Volunteer hours" in totals
    csv = staff.get(reverse("champions:hours") + "?format=csv").content.decode()
    assert "1.25" in csv


def test_bad_input_gets_a_clear_message_and_changes_nothing(library):
    champion = ready_champion()
    help_request, _ = _offered(library, champion)
    client = signed_in(champion)
    client.post(reverse("champions:accept", args=[help_request.reference]))
    response = client.post(
        reverse("champions:log_session", args=[help_request.reference]),
        {"given_on": "not a date", "minutes": "9999", "mode": "telepathy"},
    )
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()
    assert not HelpSession.objects.exists()
    response = client.post(
        reverse("champions:decline", args=[help_request.reference]), {"reason": ""}
    )
    assert response.status_code == 400
    response = client.post(reverse("champions:my_profile"), {"skills": ["x"], "max_active": "99"})
    assert response.status_code == 400


def test_a_champion_pauses_and_cannot_then_be_assigned(library):
    champion = ready_champion()
    client = signed_in(champion)
    assert (
        client.post(reverse("champions:pause"), {"paused": "yes", "note": "Holiday"}).status_code
        == 302
    )
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    help_request = HelpRequestFactory(organisation=library)
    response = signed_in(coordinator).post(
        reverse("helpdesk:act", args=[help_request.reference, "assign"]),
        {"version": help_request.version, "champion": champion.pk},
    )
    assert response.status_code == 400 and "has paused" in response.content.decode()
    assert not Assignment.objects.exists()


def test_no_assign_button_is_offered_for_a_request_whose_resident_did_not_agree(library):
    champion = ready_champion()
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    client = signed_in(coordinator)
    for consent, buttons in ((True, 1), (False, 0)):
        help_request = HelpRequestFactory(organisation=library, consent_to_share=consent)
        page = client.get(reverse("champions:suggestions", args=[help_request.reference]))
        assert page.status_code == 200
        assert page.content.decode().count(f"Assign to {champion.full_name}") == buttons


def test_the_certificate_needs_the_milestone(library):
    champion = ready_champion()
    client = signed_in(champion)
    assert client.get(reverse("champions:my_certificate", args=[10])).status_code == 404
    HelpSession.objects.create(
        champion=champion,
        organisation=library,
        given_on=timezone.localdate(),
        minutes=600,
        mode="phone",
        confidence_before=1,
        confidence_after=2,
    )
    page = client.get(reverse("champions:my_certificate", args=[10]))
    assert page.status_code == 200 and "10 hours" in page.content.decode()
    assert client.get(reverse("champions:my_certificate", args=[50])).status_code == 404


def test_volunteering_question_pages_end_in_an_offer(library):
    client = Client()
    steps = {
        "about-you": {"name": "Vera Lane", "email": "vera@example.org"},
        "where": {"postcode_or_town": "Weymouth"},
        "skills": {"skills": ["communicating"], "languages": "Polish"},
        "how": {"ways": ["phone"], "availability": ["mon_morning"]},
    }
    assert client.post(reverse("champions:volunteer_step", args=["where"]), {}).status_code == 302
    for step, data in steps.items():
        assert (
            client.post(reverse("champions:volunteer_step", args=[step]), data).status_code == 302
        )
    assert "Vera Lane" in client.get(reverse("champions:volunteer_check")).content.decode()
    assert client.post(reverse("champions:volunteer_check")).status_code == 302
    assert Interest.objects.get().email == "vera@example.org"
    assert client.get(reverse("champions:volunteer_done")).status_code == 200
    bad = Client().post(reverse("champions:volunteer_step", args=["about-you"]), {"email": "nope"})
    assert bad.status_code == 200 and "Enter your full name" in bad.content.decode()


def test_lists_make_the_same_number_of_queries_with_more_data(library):
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    champion = ready_champion()
    client = signed_in(coordinator)

    def more() -> None:
        for _ in range(3):
            ready_champion(areas=[area("Weymouth", "DT4")])
            HelpRequestFactory(organisation=library, status="triaged")
        HelpSession.objects.create(
            champion=champion,
            organisation=library,
            given_on=timezone.localdate() - timedelta(days=40),
            minutes=60,
            mode="phone",
            confidence_before=1,
            confidence_after=2,
        )

    for name in ("champions:list", "champions:propose", "champions:hours"):
        assert_flat_query_count(client, reverse(name), more)
    assert_flat_query_count(signed_in(champion), reverse("champions:workspace"), more)


def test_the_help_desk_record_opens_to_a_champion_only_once_they_accept(library):
    """Before they accept, the help desk's page and API about the request
    (the resident's contact details) are closed to the champion offered it;
    a decline closes them again."""
    from fingerpost.core.api_auth import issue_api_token

    champion = ready_champion()
    help_request, coordinator = _offered(library, champion)
    client = signed_in(champion)
    page = reverse("helpdesk:detail", args=[help_request.reference])
    api = f"/api/v1/help-requests/{help_request.reference}"
    token = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(champion)}"}
    assert client.get(page).status_code == 404
    assert Client().get(api, **token).status_code == 404
    assert "Rosa Resident" not in client.get(reverse("helpdesk:mine")).content.decode()
    # Their own offer page still opens, without the contact details.
    offer = client.get(reverse("champions:request", args=[help_request.reference]))
    assert offer.status_code == 200 and "07700900123" not in offer.content.decode()
    client.post(reverse("champions:accept", args=[help_request.reference]))
    shown = client.get(page)
    assert shown.status_code == 200 and "Rosa Resident" in shown.content.decode()
    assert Client().get(api, **token).status_code == 200
    # The coordinator's own view never depended on it.
    assert signed_in(coordinator).get(page).status_code == 200


def test_a_decline_closes_the_record_again(library):
    champion = ready_champion()
    help_request, coordinator = _offered(library, champion)
    client = signed_in(champion)
    client.post(reverse("champions:accept", args=[help_request.reference]))
    assert HelpRequest.objects.get(pk=help_request.pk).assignment_accepted_at is not None
    # Offered again to someone else after a reassignment: not taken on until they answer.
    other = ready_champion()
    current = HelpRequest.objects.get(pk=help_request.pk)
    helpdesk.assign(
        request=current, by=coordinator, expected_version=current.version, champion=other
    )
    assert HelpRequest.objects.get(pk=help_request.pk).assignment_accepted_at is None
    assert (
        signed_in(other).get(reverse("helpdesk:detail", args=[help_request.reference])).status_code
        == 404
    )
