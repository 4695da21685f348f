"""A champion never sees a request that is not theirs, nor a resident's
details they do not need: every champions and help-desk address, and every
champions and help-request API operation, walked as a champion."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fingerpost.accounts.roles import Role
from fingerpost.api import api
from fingerpost.champions import queries, services
from fingerpost.core.api_auth import issue_api_token
from fingerpost.helpdesk import services as helpdesk
from fingerpost.helpdesk.models import HelpRequest

from ..factories import HelpRequestFactory, OrganisationFactory, UserFactory
from .factories import ready_champion

pytestmark = pytest.mark.django_db

# Another champion's accepted request: nothing of it may show.
THEIRS = {
    "name": "Olive Otherresident",
    "phone": "07700900555",
    "email": "olive@example.org",
    "postcode_or_town": "DT2 9ZZ",
    "what_they_want": "Olive wants to renew a passport",
    "access_needs": "Olive needs step-free access",
}
# The champion's own request, offered and not yet accepted: no contact details.
MINE_CONTACT = {
    "name": "Rosa Resident",
    "phone": "07700900123",
    "email": "rosa@example.org",
    "postcode_or_town": "DT1 1AA",
}
RESTRICTED = "Secret concern about a neighbour"


def _assigned(library, champion, coordinator, **fields):
    request = HelpRequestFactory(organisation=library, referral_source="health", **fields)
    helpdesk.assign(
        request=request, by=coordinator, expected_version=request.version, champion=champion
    )
    request = HelpRequest.objects.get(pk=request.pk)
    helpdesk.flag_safeguarding(
        request=request, by=coordinator, expected_version=request.version, detail=RESTRICTED
    )
    return HelpRequest.objects.get(pk=request.pk)


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and namespace in ("champions", "helpdesk"):
            yield namespace, entry.name, prefix + str(entry.pattern)


def _fill(pattern: str, values: dict[str, str]) -> list[str]:
    """Every address of a pattern, once for each value of its parameters."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", pattern)
    urls = [pattern]
    for name in names:
        urls = [
            re.sub(rf"<(?:\w+:)?{name}>", value, url, count=1)
            for url in urls
            for value in values.get(name, ["x"])
        ]
    return ["/" + u.lstrip("^").rstrip("$").lstrip("/") for u in urls]


def _never_shown(body: str, where: str) -> None:
    for value in THEIRS.values():
        assert value not in body, f"{where} shows another champion's resident: {value}"
    for value in MINE_CONTACT.values():
        assert value not in body, f"{where} shows contact details before acceptance: {value}"
    assert RESTRICTED not in body, f"{where} shows a restricted safeguarding note"


def test_every_address_and_api_operation_a_champion_can_reach() -> None:
    library = OrganisationFactory(kind="library", name="Weymouth Library")
    coordinator = UserFactory(role=Role.COORDINATOR, role__organisation=library)
    me, them = ready_champion(), ready_champion()
    theirs = _assigned(library, them, coordinator, **THEIRS)
    services.accept(assignment=queries.assignment_for(them, theirs.reference), by=them)
    mine = _assigned(library, me, coordinator, **MINE_CONTACT, what_they_want="Call my grandson")
    unassigned = HelpRequestFactory(organisation=library, name="Una Unassigned")
    profile_pk = str(them.champion_profile.pk)
    values = {
        "reference": [theirs.reference, mine.reference, unassigned.reference],
        "pk": [profile_pk],
        "hours": ["10"],
        "step": ["skills", "contact"],
        "action": ["triage", "assign", "contact", "note", "close", "book", "route"],
        "token": [theirs.token],
    }
    client = Client()
    client.force_login(me)
    walked = 0
    for namespace, name, pattern in _patterns(get_resolver()):
        for url in _fill(pattern, values):
            for method in ("get", "post"):
                if method == "post" and mine.reference in url:
                    continue  # answering their own offer is theirs to do
                response = getattr(client, method)(url, {"reason": "x", "text": "x"})
                walked += 1
                where = f"{method.upper()} {url} ({namespace}:{name})"
                _never_shown(response.content.decode(errors="replace"), where)
                if theirs.reference in url or unassigned.reference in url:
                    assert response.status_code in (302, 400, 403, 404, 405), where
    assert walked > 50
    # The API, every operation of the champions and help-request routers.
    token = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(me)}"}
    schema = api.get_openapi_schema()
    operations = 0
    for path, methods in schema["paths"].items():
        if not path.startswith(("/api/v1/champions", "/api/v1/help-requests")):
            continue
        for url in _fill(path.replace("{", "<").replace("}", ">"), values):
            for method in methods:
                if method not in ("get", "post", "patch", "put", "delete"):
                    continue
                if method != "get" and mine.reference in url:
                    continue
                response = getattr(client.__class__(), method)(
                    url, {}, content_type="application/json", **token
                )
                operations += 1
                where = f"API {method.upper()} {url}"
                _never_shown(response.content.decode(errors="replace"), where)
                if theirs.reference in url or unassigned.reference in url:
                    assert response.status_code in (400, 403, 404, 405, 409, 422), (
                        where,
                        response.status_code,
                    )
    assert operations > 10
    # What they may see of their own offer is there: the need, not the person.
    page = client.get(reverse("champions:request", args=[mine.reference])).content.decode()
    assert "Call my grandson" in page
    # And the walk would notice: the champion who accepted sees their resident.
    other = Client()
    other.force_login(them)
    page = other.get(reverse("champions:request", args=[theirs.reference])).content.decode()
    assert THEIRS["name"] in page and THEIRS["phone"] in page
