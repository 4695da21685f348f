import pytest
from django.test import Client
from django.urls import reverse

from ..factories import PASSWORD, UserFactory


def _try(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_account_with_a_clear_message(client: Client) -> None:
    UserFactory(email="target@example.org")
    for _ in range(4):
        assert _try(client, "target@example.org", "wrong-password").status_code == 200
    locked = _try(client, "target@example.org", "wrong-password")
    assert locked.status_code == 429
    assert b"Your account is locked for 15 minutes" in locked.content

    # Even the right password is refused while locked, from any browser.
    again = _try(Client(), "target@example.org", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in Client().session


@pytest.mark.django_db
def test_lockout_is_per_account_not_per_building(client: Client) -> None:
    UserFactory(email="target@example.org")
    colleague = UserFactory(email="colleague@example.org")
    for _ in range(5):
        _try(client, "target@example.org", "wrong-password")
    response = _try(client, "colleague@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client: Client, settings) -> None:
    from axes.models import AccessAttempt

    user = UserFactory(email="target@example.org")
    for _ in range(5):
        _try(client, "target@example.org", "wrong-password")
    AccessAttempt.objects.all().delete()  # what the cool-off expiry does
    response = _try(client, "target@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
