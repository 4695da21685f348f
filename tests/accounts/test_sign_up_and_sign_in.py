import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.models import User
from fingerpost.accounts.roles import Role, roles_of

from ..factories import PASSWORD, UserFactory


@pytest.mark.django_db(transaction=True)
def test_sign_up_verify_email_then_sign_in(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Priya Patel",
            "email": "Priya.Patel@Example.org",
            "password1": "a-long-enough-pass",
            "password2": "a-long-enough-pass",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="priya.patel@example.org")
    assert user.full_name == "Priya Patel"
    # Signing up makes a person with a login, not verified partner staff.
    assert not roles_of(user).holds(Role.MEMBER)

    # The verification email was sent by the background task, naming the
    # service (not "Hello from !") and the address, never the typed-in name.
    assert len(mail.outbox) == 1
    from django.conf import settings

    assert settings.FINGERPOST_SERVICE_NAME in mail.outbox[0].body
    assert "from !" not in mail.outbox[0].body and " on ." not in mail.outbox[0].body
    assert "Priya Patel" not in mail.outbox[0].body
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    # Unverified: signing in is refused until the email is confirmed.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-enough-pass"}
    )
    assert "_auth_user_id" not in client.session

    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long-enough-pass"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_sign_in_with_email_goes_to_your_work(client: Client) -> None:
    user = UserFactory(email="olu@example.org")
    response = client.post(
        reverse("account_login"), {"login": "OLU@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).context["user"] == user


@pytest.mark.django_db
def test_wrong_password_gives_a_govuk_error(client: Client) -> None:
    UserFactory(email="olu@example.org")
    response = client.post(
        reverse("account_login"), {"login": "olu@example.org", "password": "nope"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert response.context["form"].errors


@pytest.mark.django_db(transaction=True)
def test_sign_up_with_a_taken_email_reveals_nothing_and_creates_nothing(client: Client) -> None:
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Someone Else",
            "email": "taken@example.org",
            "password1": "a-long-enough-pass",
            "password2": "a-long-enough-pass",
        },
    )
    # Same answer as a new sign-up, so nobody can probe who has an account;
    # the owner of the address is told by email instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.org"]


@pytest.mark.django_db
def test_addresses_are_stored_one_way_whoever_creates_the_account() -> None:
    from django.db import IntegrityError, transaction

    from ..factories import UserFactory

    user = UserFactory(email="Bob.Smith@Example.org")
    user.refresh_from_db()
    assert user.email == "bob.smith@example.org"
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="BOB.SMITH@example.org ")
