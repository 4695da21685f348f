"""Apps plug themselves into core through the registry; core names no app."""

import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from ninja import NinjaAPI

from fingerpost.core import registry
from fingerpost.core.errors import Invalid, NotFound, RateLimited, install_api_handlers
from fingerpost.core.navigation import navigation_for

CORE = Path(__file__).resolve().parents[2] / "src" / "fingerpost" / "core"
# Every app of the project other than core and the two it builds on.
DOMAIN_APPS = [
    "organisations",
    "events",
    "helpdesk",
    "champions",
    "lending",
    "quiz",
    "network",
    "directory",
    "skills",
    "insights",
]


def test_core_names_no_domain_app_in_code_or_templates() -> None:
    pattern = re.compile(
        r"fingerpost\.({apps})\b|['\"]({apps})(_public)?:".format(apps="|".join(DOMAIN_APPS))
    )
    offenders = [
        f"{path.relative_to(CORE)}: {match.group(0)}"
        for path in CORE.rglob("*")
        if path.suffix in {".py", ".html", ".txt"}
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []


def test_every_app_registers_its_pieces() -> None:
    names = {entry.name for entry in registry.nav_items()}
    assert {"events.list", "helpdesk.queue", "organisations.list", "core.dashboard"} <= names
    jobs = [job.name for job in registry.timed_jobs()]
    assert jobs.index("expire_due_offers") < jobs.index("prune_finished_tasks")
    steps = [step.name for step in registry.demo_steps()]
    assert steps[0] == "organisations"
    assert {"events", "helpdesk"} <= set(steps)


def test_registering_a_name_again_replaces_it() -> None:
    before = len(registry.home_panels())
    registry.add_home_panel(name="events", template="events/home/panel.html", order=20)
    assert len(registry.home_panels()) == before


@pytest.mark.django_db
def test_the_public_navigation_comes_from_the_apps(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/events/")
    request.user = AnonymousUser()
    items = [(item.text, item.current) for item in navigation_for(request)]
    assert items == [
        ("Get digital help", False),
        ("Find help near you", False),
        ("Events", True),
        ("Organisations", False),
        ("Sign in", False),
    ]


def test_the_api_turns_service_errors_into_json() -> None:
    api = NinjaAPI(urls_namespace="errors-test")
    install_api_handlers(api)
    request = RequestFactory().get("/")
    response = api.on_exception(request, Invalid("Enter a name", field="name"))
    assert response.status_code == 422
    assert response.content == b'{"detail": "Enter a name", "field": "name"}'
    limited = api.on_exception(request, RateLimited("Try again later", retry_after=60))
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert api.on_exception(request, NotFound("No such thing")).status_code == 404


@pytest.mark.django_db
def test_an_uncaught_refusal_is_its_page_not_a_server_error(client: Client, settings) -> None:
    from django.urls import include, path

    def refuses(request):
        raise NotFound("There is no such session")

    import types

    urls = types.ModuleType("refusing_urls")
    urls.urlpatterns = [path("refuses/", refuses), path("", include("fingerpost.urls"))]
    urls.handler404 = "fingerpost.core.views.page_not_found"
    settings.ROOT_URLCONF = urls
    response = client.get("/refuses/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.django_db
def test_a_page_panel_shows_on_the_page_of_another_app(client: Client) -> None:
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(name="Weymouth Library")
    registry.add_page_panel(
        slot="organisations.detail",
        name="test.panel",
        template="core/forms/error_message.html",
        order=1,
        context=lambda request, obj: {
            "field": {"error_id": "x", "errors": [f"Panel for {obj.name}"]}
        },
    )
    try:
        response = client.get(organisation.get_absolute_url())
    finally:
        registry._page_panels.pop(("organisations.detail", "test.panel"))
    assert b"Panel for Weymouth Library" in response.content
