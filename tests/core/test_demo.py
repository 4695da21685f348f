import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import roles_of
from fingerpost.organisations.models import Membership, Organisation

DEMO_ROLES = {
    "organiser": "organiser",
    "coordinator": "coordinator",
    "champion": "champion",
    "champion2": "champion",
    "member": "member",
    "admin": "admin",
}


@pytest.mark.django_db
def test_demo_creates_an_account_per_role_that_can_sign_in() -> None:
    call_command("demo")
    for local_part, role in DEMO_ROLES.items():
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"login": f"{local_part}@example.org", "password": "fingerpost-demo"},
        )
        assert response.status_code == 302, local_part
        assert roles_of(User.objects.get(email=f"{local_part}@example.org")).holds(role)
    assert Organisation.objects.filter(kind="library", parent__isnull=False).count() >= 3
    assert Organisation.objects.filter(kind="council").count() >= 3
    assert Organisation.objects.filter(kind="health").exists()


@pytest.mark.django_db
def test_demo_is_idempotent() -> None:
    call_command("demo")
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    call_command("demo")
    assert (
        User.objects.count(),
        Organisation.objects.count(),
        Membership.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_demo_scale_multiplies_the_data() -> None:
    call_command("demo", "--scale", "1")
    users_at_1 = User.objects.count()
    call_command("demo", "--scale", "3")
    generated_at_1 = users_at_1 - len(DEMO_ROLES)
    assert User.objects.count() - len(DEMO_ROLES) == 3 * generated_at_1


@pytest.mark.django_db
def test_demo_if_empty_leaves_a_database_with_data_alone() -> None:
    User.objects.create_user("someone@example.org", "x")
    call_command("demo", "--if-empty")
    assert not User.objects.filter(email="organiser@example.org").exists()


@pytest.mark.django_db
def test_demo_refuses_when_not_allowed(settings) -> None:
    settings.FINGERPOST_DEMO_ALLOWED = False
    with pytest.raises(CommandError, match="never created in production"):
        call_command("demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_refuses_a_silly_scale() -> None:
    with pytest.raises(CommandError):
        call_command("demo", "--scale", "0")


@pytest.mark.django_db
def test_demo_adds_help_requests_in_every_status_and_scales() -> None:
    from fingerpost.helpdesk.models import HelpRequest

    call_command("demo")
    statuses = set(HelpRequest.objects.values_list("status", flat=True))
    assert statuses == {"new", "triaged", "assigned", "in_progress", "closed"}
    at_one = HelpRequest.objects.count()
    call_command("demo")
    assert HelpRequest.objects.count() == at_one
    call_command("demo", "--scale", "2")
    assert HelpRequest.objects.count() == 2 * at_one
    assert not HelpRequest.objects.filter(status="closed", outcome="").exists()


@pytest.mark.django_db
def test_demo_champions_see_the_residents_they_have_accepted() -> None:
    from fingerpost.champions.models import Assignment, AssignmentState

    call_command("demo")
    accepted = Assignment.objects.filter(state=AssignmentState.ACCEPTED).select_related(
        "help_request"
    )
    assert accepted.exists()
    # As after a real acceptance: the request's page opens for its champion.
    assert all(a.help_request.assignment_accepted_at is not None for a in accepted)
    champion = User.objects.get(email="champion@example.org")
    mine = accepted.filter(champion=champion).first()
    assert mine is not None
    client = Client()
    client.force_login(champion)
    assert client.get(f"/help-requests/{mine.help_request.reference}/").status_code == 200
