"""API tokens (finding 9): named, listed with created and last used, revocable
one by one, stored hashed; deactivating an account revokes them for good."""

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.models import ApiToken
from fingerpost.accounts.roles import Role
from fingerpost.core.api_auth import hash_token, issue_api_token, user_for_api_token

from ..factories import UserFactory, grant_role

ATTENDEES = "/api/v1/events/{}/attendees"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_only_a_hash_is_stored() -> None:
    user = UserFactory()
    token = issue_api_token(user, name="Contact centre")
    record = ApiToken.objects.get()
    assert record.token_hash == hash_token(token) and token not in record.token_hash
    assert record.name == "Contact centre" and token.startswith(record.prefix)
    assert user_for_api_token(token) == user


@pytest.mark.django_db
def test_the_account_page_makes_lists_and_revokes_tokens_one_by_one() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    made = client.post(reverse("accounts:api_tokens"), {"name": "Referrals script"})
    assert made.status_code == 200
    token = made.context["new_token"]
    assert token in made.content.decode()
    other = issue_api_token(user, name="Second")
    page = client.get(reverse("accounts:api_tokens")).content.decode()
    assert "Referrals script" in page and "Second" in page and token not in page
    assert user_for_api_token(token) == user
    assert ApiToken.objects.get(name="Referrals script").last_used_at is not None
    first = ApiToken.objects.get(name="Referrals script")
    client.post(reverse("accounts:revoke_token", args=[first.pk]))
    assert user_for_api_token(token) is None
    assert user_for_api_token(other) == user


@pytest.mark.django_db
def test_nobody_revokes_someone_elses_token() -> None:
    owner, stranger = UserFactory(), UserFactory()
    token = issue_api_token(owner)
    client = Client()
    client.force_login(stranger)
    client.post(reverse("accounts:revoke_token", args=[ApiToken.objects.get().pk]))
    assert user_for_api_token(token) == owner


@pytest.mark.django_db
def test_deactivating_revokes_and_reactivating_does_not_revive() -> None:
    user = UserFactory()
    token = issue_api_token(user)
    user.is_active = False
    user.save()
    assert user_for_api_token(token) is None
    user.is_active = True
    user.save()
    assert user_for_api_token(token) is None
    assert ApiToken.objects.get().revoked_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("", 403), (Role.MEMBER, 200), (Role.COORDINATOR, 200), (Role.ADMIN, 200)],
)
def test_who_opens_the_tokens_page(role: str, status: int) -> None:
    client = Client()
    if role != "anonymous":
        client.force_login(UserFactory(role=role))
    assert client.get(reverse("accounts:api_tokens")).status_code == status


@pytest.mark.django_db
def test_a_person_with_two_roles_has_one_list_of_tokens() -> None:
    person = UserFactory(role=Role.CHAMPION)
    grant_role(person, Role.ORGANISER)
    issue_api_token(person, name="One")
    client = Client()
    client.force_login(person)
    assert "One" in client.get(reverse("accounts:api_tokens")).content.decode()
