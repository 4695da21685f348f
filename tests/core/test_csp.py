"""The Content-Security-Policy header is built once, yet is the same as
django-csp's, and a response that needs a nonce or its own policy gets it."""

import pytest
from csp.constants import HEADER
from csp.decorators import csp_update
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from fingerpost.core.middleware import ContentSecurityPolicy


@pytest.mark.django_db
def test_every_page_has_the_policy(client: Client) -> None:
    response = client.get("/events/")
    assert response[HEADER] == build_policy()
    assert "default-src 'self'" in response[HEADER]
    assert "frame-ancestors 'none'" in response[HEADER]


def test_a_nonce_used_by_the_page_is_in_its_header() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')  # type: ignore[attr-defined]

    middleware = ContentSecurityPolicy(view)
    request = RequestFactory().get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response[HEADER]


def test_a_view_with_its_own_policy_keeps_it() -> None:
    @csp_update({"img-src": ["https://tiles.example.org"]})
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("map")

    middleware = ContentSecurityPolicy(view)
    request = RequestFactory().get("/")
    middleware.process_request(request)
    response = middleware.process_response(request, view(request))
    assert "https://tiles.example.org" in response[HEADER]
