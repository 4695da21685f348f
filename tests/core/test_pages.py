import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role

from ..conftest import ALL_ROLES
from ..factories import OrganisationFactory

PUBLIC_PAGES = [
    "core:home",
    "helpdesk_public:get_help",
    "events:list",
    "core:accessibility",
    "core:privacy",
    "core:cookies",
    "organisations:list",
    "account_login",
    "account_signup",
    "account_reset_password",
]
STAFF_PAGES = [
    "core:home",
    "core:dashboard",
    "organisations:list",
    "account_email",
    "account_change_password",
    "mfa_index",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_answer_without_an_account(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'class="govuk-skip-link"' in response.content
    assert b"Accessibility statement" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_pages_answer_for_every_role(client_for, role: str, name: str) -> None:
    response = client_for(role).get(reverse(name))
    assert response.status_code == 200


@pytest.mark.django_db
def test_dashboard_needs_sign_in(client: Client) -> None:
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _nav_texts(response) -> list[str]:
    return [item.text for item in response.context["navigation"]]


@pytest.mark.django_db
def test_navigation_for_a_resident_points_to_help_and_events(client: Client) -> None:
    texts = _nav_texts(client.get("/"))
    assert texts[:3] == ["Get digital help", "Find help near you", "Events"]
    assert "Sign in" in texts
    assert "Your work" not in texts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "sees_admin", "sees_people"),
    [
        (Role.MEMBER, False, False),
        (Role.CHAMPION, False, False),
        (Role.COORDINATOR, False, False),
        (Role.ORGANISER, False, True),
        (Role.ADMIN, True, True),
    ],
)
def test_navigation_depends_on_role(
    client_for, role: str, sees_admin: bool, sees_people: bool
) -> None:
    response = client_for(role).get(reverse("core:dashboard"))
    texts = _nav_texts(response)
    assert "Your work" in texts and "Sign out" in texts and "Sign in" not in texts
    assert ("Admin" in texts) is sees_admin
    assert ("People" in texts) is sees_people


@pytest.mark.django_db
def test_current_page_is_marked_in_navigation(client: Client) -> None:
    response = client.get(reverse("helpdesk_public:get_help"))
    assert b'aria-current="page"' in response.content
    current = [item.text for item in response.context["navigation"] if item.current]
    assert current == ["Get digital help"]


@pytest.mark.django_db
def test_get_help_lists_library_branches(client: Client) -> None:
    service = OrganisationFactory(name="County Libraries", kind="library")
    OrganisationFactory(
        name="Harbour Library", kind="library", parent=service, offers_digital_help=True
    )
    response = client.get(reverse("helpdesk_public:get_help"))
    assert b"Harbour Library" in response.content
    assert b"County Libraries" not in response.content


@pytest.mark.django_db
def test_rebranded_shell_has_no_crown_or_gds_font(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "govuk-logo" not in html and "crown" not in html.lower()
    assert "Dorset Digital Partnership" in html
