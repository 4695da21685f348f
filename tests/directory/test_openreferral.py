"""The Open Referral UK feed: every endpoint's answers follow the standard's
rules (schemas/), paging, filters, CORS for reading, and bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from fingerpost.directory import taxonomy
from fingerpost.directory.models import OpeningException
from fingerpost.directory.services import place_from_postcode
from tests.querycount import assert_flat_query_count

from .factories import EbookServiceFactory, HelpLocationFactory, dorset_areas
from .oruk import DETAILS, LISTS, assert_valid, problems

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def _nulls(value: Any, path: str = "") -> list[str]:
    if value is None:
        return [path or "(top)"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}/{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}/{i}")]
    return []


@pytest.fixture
def directory() -> dict[str, Any]:
    areas = dorset_areas()
    weymouth = HelpLocationFactory(
        name="Weymouth Library", slug="weymouth-library", needs=["video_calls", "email"]
    )
    dorchester = HelpLocationFactory(
        name="Dorchester Library",
        slug="dorchester-library",
        town="Dorchester",
        postcode="DT1 1EE",
        latitude=50.7146,
        longitude=-2.438,
        needs=["online_forms"],
        phone="",
        accessibility="",
        hours={0: ("09:00", "17:00"), 5: ("09:30", "13:00")},
    )
    for location in (weymouth, dorchester):
        place_from_postcode(location)
        location.save()
    OpeningException.objects.create(
        location=weymouth, date=__import__("datetime").date.today(), closed=True, reason="Training"
    )
    hidden = HelpLocationFactory(name="Hidden place", slug="hidden", is_published=False)
    ebooks = EbookServiceFactory(name="Library e-books")
    return {
        "areas": areas,
        "weymouth": weymouth,
        "dorchester": dorchester,
        "hidden": hidden,
        "ebooks": ebooks,
    }


def test_root_says_which_standard(client: Client) -> None:
    body = _get(client, "/openreferral/")
    assert body["version"] == "HSDS-UK-3.0"
    assert_valid(body, "root")


@pytest.mark.parametrize("endpoint", sorted(LISTS))
def test_every_list_follows_the_standard(
    client: Client, directory: dict[str, Any], endpoint: str
) -> None:
    body = _get(client, f"/openreferral/{endpoint}")
    assert_valid(body, LISTS[endpoint], page=True)
    assert body["contents"], f"{endpoint} is empty"
    assert not _nulls(body)


@pytest.mark.parametrize("endpoint", sorted(DETAILS))
def test_every_record_follows_the_standard(
    client: Client, directory: dict[str, Any], endpoint: str
) -> None:
    listing = _get(client, f"/openreferral/{endpoint}", per_page=500)
    for entry in listing["contents"]:
        body = _get(client, f"/openreferral/{endpoint}/{entry['id']}")
        assert body["id"] == entry["id"]
        assert_valid(body, DETAILS[endpoint])
        assert not _nulls(body)


def test_services_are_the_published_locations_and_ebook_services(
    client: Client, directory: dict[str, Any]
) -> None:
    body = _get(client, "/openreferral/services")
    names = [service["name"] for service in body["contents"]]
    assert names == [
        "Digital help at Dorchester Library",
        "Digital help at Weymouth Library",
        "Library e-books",
    ]
    assert body["total_items"] == 3


def test_links_use_the_sites_address_not_the_callers_host(
    client: Client, directory: dict[str, Any], settings: Any
) -> None:
    settings.FINGERPOST_SITE_URL = "https://help.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get("/openreferral/services", HTTP_HOST="attacker.example.net")
    text = response.content.decode()
    assert "attacker.example.net" not in text
    assert "https://help.example.org/find-help/" in text or "https://help.example.org/" in text
    service = json.loads(text)["contents"][0]
    assert service["url"].startswith("https://help.example.org/")


def test_a_location_service_has_its_address_hours_phone_and_help(
    client: Client, directory: dict[str, Any]
) -> None:
    weymouth = directory["weymouth"]
    body = _get(client, f"/openreferral/services/{weymouth.service_uuid}")
    location = body["service_at_locations"][0]["location"]
    assert location["id"] == str(weymouth.uuid)
    assert location["addresses"][0]["postal_code"] == "DT4 8NN"
    assert location["addresses"][0]["region"] == "Weymouth"
    assert [s["byday"] for s in body["schedules"] if "byday" in s] == ["MO"]
    closed = [s for s in body["schedules"] if "valid_from" in s]
    assert len(closed) == 1 and "Training" in closed[0]["description"]
    assert body["phones"][0]["number"] == "01305 000000"
    assert {lang["name"] for lang in body["languages"]} == {"English", "Polish"}
    assert {a["taxonomy_term"]["code"] for a in body["attributes"]} == {"video_calls", "email"}
    assert body["service_areas"][0]["name"] == "Weymouth"


def test_every_tag_is_a_published_term(client: Client, directory: dict[str, Any]) -> None:
    published = {t["id"] for t in _get(client, "/openreferral/taxonomy_terms")["contents"]}
    listing = _get(client, "/openreferral/services")
    for entry in listing["contents"]:
        body = _get(client, f"/openreferral/services/{entry['id']}")
        assert body["attributes"], f"{body['name']} is not tagged"
        for attribute in body["attributes"]:
            assert attribute["taxonomy_term_id"] in published
            assert attribute["taxonomy_term"]["taxonomy_id"] == str(taxonomy.TAXONOMY_ID)


def test_taxonomy_terms_are_stable_and_hierarchical(client: Client) -> None:
    terms = _get(client, "/openreferral/taxonomy_terms")["contents"]
    by_code = {t["code"]: t for t in terms}
    assert by_code["video_calls"]["id"] == str(taxonomy.term_id("video_calls"))
    assert by_code["video_calls"]["parent_id"] == by_code["digital-support"]["id"]
    assert by_code["ebooks"]["parent_id"] == by_code["online-library"]["id"]
    assert "parent_id" not in by_code["digital-support"]


def test_paging(client: Client, directory: dict[str, Any]) -> None:
    first = _get(client, "/openreferral/services", per_page=2)
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = _get(client, "/openreferral/services", per_page=2, page=2)
    assert (second["size"], second["page_number"]) == (1, 2)
    assert second["last_page"] and not second["first_page"]
    beyond = _get(client, "/openreferral/services", per_page=2, page=3)
    assert beyond["empty"] and beyond["contents"] == []
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(ids)) == 3


def test_filters(client: Client, directory: dict[str, Any]) -> None:
    def names(endpoint: str, **params: Any) -> list[str]:
        body = _get(client, f"/openreferral/{endpoint}", **params)
        assert_valid(body, LISTS[endpoint], page=True)
        key = "service" if endpoint == "service_at_locations" else None
        return [(c[key] if key else c)["name"] for c in body["contents"]]

    assert names("services", search="dorchester") == ["Digital help at Dorchester Library"]
    assert names("services", search="e-books") == ["Library e-books"]
    video = str(taxonomy.term_id("video_calls"))
    assert names("services", taxonomy_term_id=video) == ["Digital help at Weymouth Library"]
    assert names("services", taxonomy_term_id=str(taxonomy.term_id("ebooks"))) == [
        "Library e-books"
    ]
    assert names("services", taxonomy_term_id="not-a-term") == []
    assert len(names("services", taxonomy_id=str(taxonomy.TAXONOMY_ID))) == 3
    assert names("services", taxonomy_id="00000000-0000-0000-0000-000000000000") == []
    # Postcode alone: the places serving its area; with proximity: within that many metres.
    assert names("service_at_locations", postcode="DT4 7AB") == ["Digital help at Weymouth Library"]
    assert names("service_at_locations", postcode="DT4 7AB", proximity="2000") == [
        "Digital help at Weymouth Library"
    ]
    assert names("service_at_locations", postcode="DT4 7AB", proximity="20000") == [
        "Digital help at Weymouth Library",
        "Digital help at Dorchester Library",
    ]


def test_cors_allows_reading_from_any_site(client: Client) -> None:
    preflight = client.options(
        "/openreferral/services",
        headers={"Origin": "https://other.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    refused = client.post("/openreferral/services", {})
    assert refused.status_code == 405
    assert refused["Allow"] == "GET, HEAD, OPTIONS"
    # Only the feed is open: the rest of the site sends no CORS headers.
    assert "Access-Control-Allow-Origin" not in client.get("/find-help/")


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "per_page=-1",
        "page=99999999999",
        "proximity=1000",
        "postcode=ZZ9+9ZZ",
        "postcode=DT4&proximity=far",
        "postcode=DT4&proximity=nan",
    ],
)
def test_bad_queries_are_400_with_a_reason(
    client: Client, directory: dict[str, Any], query: str
) -> None:
    response = client.get(f"/openreferral/service_at_locations?{query}")
    assert response.status_code == 400
    assert json.loads(response.content)["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path",
    [
        "services/not-a-uuid",
        "services/00000000-0000-0000-0000-000000000000",
        "service_at_locations/00000000-0000-0000-0000-000000000000",
        "taxonomies/00000000-0000-0000-0000-000000000000",
        "taxonomy_terms/banana",
    ],
)
def test_unknown_records_are_404_json(client: Client, path: str) -> None:
    response = client.get(f"/openreferral/{path}")
    assert response.status_code == 404
    assert json.loads(response.content)["detail"]


def test_hidden_locations_are_not_published(client: Client, directory: dict[str, Any]) -> None:
    hidden = directory["hidden"]
    assert client.get(f"/openreferral/services/{hidden.service_uuid}").status_code == 404
    body = _get(client, "/openreferral/service_at_locations")
    assert str(hidden.uuid) not in {c["location_id"] for c in body["contents"]}


def test_the_schemas_can_fail() -> None:
    """The rules catch what the standard forbids (so passing means something)."""
    good = {"id": "2f4f3b59-1d33-4f0e-9d3b-2d9b3d6c7e01", "name": "Help", "status": "active"}
    assert problems(good, "service_summary") == []
    assert problems({**good, "status": "open"}, "service_summary")
    assert problems({**good, "id": "42"}, "service_summary")
    assert problems({**good, "url": None}, "service_summary")
    assert problems({"id": good["id"], "status": "active"}, "service_summary")
    page = {"total_items": 0, "total_pages": 0, "page_number": 1, "size": 0}
    assert problems({**page, "contents": []}, "taxonomy", page=True)  # no first/last/empty


def test_services_list_makes_the_same_queries_however_many_places(client: Client) -> None:
    dorset_areas()

    def add_more() -> None:
        for _ in range(3):
            HelpLocationFactory()
            EbookServiceFactory()

    add_more()
    assert_flat_query_count(client, "/openreferral/services", add_more)
    assert_flat_query_count(client, "/openreferral/service_at_locations", add_more)
