import pytest
from django.test import Client
from django.urls import path

from fingerpost.urls import urlpatterns as real_urlpatterns


def _boom(request):
    raise RuntimeError("simulated failure")


urlpatterns = [*real_urlpatterns, path("boom/", _boom)]


@pytest.mark.django_db
def test_not_found_page_is_styled(client: Client, settings) -> None:
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-heading-l" in response.content


@pytest.mark.django_db
def test_forbidden_page_is_styled(client_for, settings) -> None:
    settings.DEBUG = False
    response = client_for("member").get("/organisations/people/")
    assert response.status_code == 403
    assert b"You cannot see this page" in response.content


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_errors")
def test_server_error_page_is_styled(settings) -> None:
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


@pytest.mark.django_db
def test_csrf_failure_page_is_styled(settings) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert b"Sorry, your form could not be sent" in response.content


@pytest.mark.django_db
def test_too_many_attempts_page_is_styled(client: Client) -> None:
    for _ in range(25):
        response = client.post("/accounts/signup/", {"email": "x"})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
