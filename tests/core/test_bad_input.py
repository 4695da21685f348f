"""Bad input to every form gives a clear GOV.UK error and changes nothing."""

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fingerpost.accounts.models import User

from ..factories import UserFactory

# Text a person might paste: empty, very long, control and astral characters.
awkward_text = st.one_of(
    st.just(""),
    st.just(" " * 5),
    st.text(min_size=1, max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=300, max_size=400),
    st.just("😀" * 200),
    st.just("Robert'); DROP TABLE accounts_user;--"),
    st.just("<script>alert(1)</script>"),
)
no_db_reset = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _fresh_client() -> Client:
    # allauth rate-limits sign-ups per address; each example is a new visitor.
    cache.clear()
    return Client()


def _assert_clear_error(response, *typed: str) -> None:
    if any("\x00" in text for text in typed):
        # Nobody types a NUL character; such a request is refused outright.
        assert response.status_code == 400
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
@no_db_reset
@given(full_name=awkward_text, email=awkward_text, password=awkward_text)
def test_sign_up_with_bad_input(full_name: str, email: str, password: str) -> None:
    before = User.objects.count()
    response = _fresh_client().post(
        "/accounts/signup/",
        {
            "full_name": full_name,
            "email": email,
            "password1": password,
            "password2": password + "x",
        },
    )
    _assert_clear_error(response, full_name, email, password)
    assert User.objects.count() == before


@pytest.mark.django_db
@no_db_reset
@given(login=awkward_text, password=awkward_text)
def test_sign_in_with_bad_input(login: str, password: str) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    response = _fresh_client().post("/accounts/login/", {"login": login, "password": password})
    _assert_clear_error(response, login, password)


@pytest.mark.django_db
@no_db_reset
@given(email=awkward_text.filter(lambda s: "@" not in s))
def test_password_reset_with_bad_input(email: str) -> None:
    response = _fresh_client().post("/accounts/password/reset/", {"email": email})
    _assert_clear_error(response, email)


@pytest.mark.django_db
def test_sign_up_with_wrong_types_and_missing_fields() -> None:
    response = _fresh_client().post("/accounts/signup/", {"email": ["a", "b"], "unexpected": "1"})
    _assert_clear_error(response)
    errors = response.context["form"].errors
    assert {"full_name", "password1"} <= set(errors)


@pytest.mark.django_db
def test_change_password_with_bad_input() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/", {"oldpassword": "wrong", "password1": "x", "password2": "y"}
    )
    _assert_clear_error(response)
