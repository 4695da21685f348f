import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CHAMPION, Role.COORDINATOR, Role.ADMIN])
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
@pytest.mark.parametrize("role", [Role.MEMBER, Role.ORGANISER])
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
