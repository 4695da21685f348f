import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CHAMPION, Role.COORDINATOR, Role.ORGANISER, Role.ADMIN])
def test_roles_that_see_resident_data_must_set_up_mfa(client_for, settings, role: str) -> None:
    settings.FINGERPOST_REQUIRE_MFA = True
    client = client_for(role)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page stays reachable (allauth first asks for the password again).
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert setup.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MEMBER])
def test_other_roles_are_not_forced_to_set_up_mfa(client_for, settings, role: str) -> None:
    settings.FINGERPOST_REQUIRE_MFA = True
    assert client_for(role).get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_coordinator_with_totp_gets_through(client_for, settings, user_with_role) -> None:
    from allauth.mfa.models import Authenticator

    settings.FINGERPOST_REQUIRE_MFA = True
    user = user_with_role(Role.COORDINATOR)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(user)
    assert client.get(reverse("core:dashboard")).status_code == 200


@pytest.mark.django_db
def test_an_api_token_is_no_way_round_two_factor(settings, user_with_role) -> None:
    from allauth.mfa.models import Authenticator

    from fingerpost.core.api_auth import issue_api_token

    settings.FINGERPOST_REQUIRE_MFA = True
    coordinator = user_with_role(Role.COORDINATOR)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(coordinator)}"}
    assert Client().get("/api/v1/help-requests/", **headers).status_code == 401
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={})
    assert Client().get("/api/v1/help-requests/", **headers).status_code == 200
    member = user_with_role(Role.MEMBER)
    member_headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(member)}"}
    assert Client().get("/api/v1/help-requests/", **member_headers).status_code == 403


@pytest.mark.django_db
def test_staff_accounts_must_set_up_two_factor_whatever_their_role(settings) -> None:
    from ..factories import UserFactory

    settings.FINGERPOST_REQUIRE_MFA = True
    client = Client()
    client.force_login(UserFactory(role=Role.MEMBER, is_staff=True))
    assert client.get(reverse("core:dashboard"))["Location"] == reverse("mfa_activate_totp")
