"""Forms sent back with errors: every id that aria-describedby names is on the
page, so screen readers read the hint and the error with the field."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.accounts.roles import Role

from ..factories import UserFactory


def dangling_references(html: str) -> list[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = [
        name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()
    ]
    assert named, "no field points to a hint or an error"
    return [name for name in named if name not in ids]


@pytest.mark.django_db
def test_sign_up_errors_are_linked_to_their_fields(client: Client) -> None:
    response = client.post(
        reverse("account_signup"), {"email": "bad", "password1": "x", "password2": "y"}
    )
    html = response.content.decode()
    assert 'aria-describedby="id_email_error"' in html
    assert dangling_references(html) == []


@pytest.mark.django_db
def test_help_request_form_errors_are_linked_to_their_fields(client: Client) -> None:
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(reverse("helpdesk:record"), {"phone": "abc", "email": "nope"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert dangling_references(html) == []
