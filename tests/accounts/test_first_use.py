"""allauth's pages read like the rest of the site: sentence case, GOV.UK
links, no link between a label and its field, and every error shown."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from fingerpost.core.templatetags.govuk import sentence_case

from ..factories import UserFactory

TITLE_CASE = re.compile(
    r"\b(Sign In|Sign Up|Remember Me|Email Addresses|Change Password|Password Reset"
    r"|Reset My Password|Two-Factor)\b"
)


@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        ("Sign In", "Sign in"),
        ("Remember Me", "Remember me"),
        ("Email Addresses", "Email addresses"),
        ("Two-Factor Authentication", "Two-factor authentication"),
        ("Reset My Password", "Reset my password"),
        ("Sign in to Fingerpost", "Sign in to Fingerpost"),
        ("Add a TOTP App", "Add a TOTP app"),
        ('Go <a href="/X">Back Home</a>', 'Go <a href="/X">back home</a>'),
    ],
)
def test_sentence_case(title, sentence) -> None:
    assert sentence_case(title) == sentence


def _links_without_style(html: str) -> list[str]:
    main = html[html.index("<main") : html.index("</main>")]
    return re.findall(r"<a (?![^>]*class=)[^>]*>", main)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["account_login", "account_signup", "account_reset_password"],
)
def test_signed_out_account_pages_use_sentence_case_and_govuk_links(url) -> None:
    page = Client().get(reverse(url)).content.decode()
    assert TITLE_CASE.search(page) is None, TITLE_CASE.search(page)
    assert _links_without_style(page) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["account_email", "account_change_password", "mfa_index", "account_logout"]
)
def test_signed_in_account_pages_use_sentence_case_and_govuk_links(url) -> None:
    client = Client()
    client.force_login(UserFactory())
    page = client.get(reverse(url)).content.decode()
    assert TITLE_CASE.search(page) is None, TITLE_CASE.search(page)
    assert _links_without_style(page) == []


@pytest.mark.django_db
def test_the_forgotten_password_link_comes_after_the_password_field() -> None:
    page = Client().get(reverse("account_login")).content.decode()
    label = page.index('for="id_password"')
    field = page.index('id="id_password"')
    link = page.index("Forgot your password?")
    assert label < field < link


@pytest.mark.django_db
def test_a_short_password_does_not_hide_that_the_two_do_not_match() -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "full_name": "New Person",
            "email": "new@example.org",
            "password1": "short",
            "password2": "different",
        },
    )
    page = response.content.decode()
    assert "at least 10 characters" in page or "too short" in page
    assert "The passwords do not match" in page
    assert page.count("The passwords do not match") == 2  # the summary and the field


@pytest.mark.django_db
def test_matching_passwords_are_not_called_different() -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "full_name": "New Person",
            "email": "new@example.org",
            "password1": "short",
            "password2": "short",
        },
    )
    assert "The passwords do not match" not in response.content.decode()
