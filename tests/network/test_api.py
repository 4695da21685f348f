"""The network API with a token: people for verified members only, topics
and posts, resources, boards and cards (read and write), board import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fingerpost.core.api_auth import issue_api_token
from tests.factories import UserFactory

from . import factories
from .trello_exports import FIXTURES

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {issue_api_token(user)}"})


def test_people_and_the_unverified() -> None:
    tester = factories.member(skills="accessibility testing", discipline=factories.discipline())
    found = api(factories.member()).get("/api/v1/network/people", {"q": "accessibility"}).json()
    assert found["count"] == 1 and found["items"][0]["handle"] == tester.network_profile.handle
    assert found["items"][0]["email"] is None  # not shown unless chosen
    refused = api(UserFactory(role="")).get("/api/v1/network/people")
    assert refused.status_code == 403 and "verified members" in refused.json()["detail"]


def test_topics_and_posts() -> None:
    user = factories.member()
    client = api(user)
    topic = client.post(
        "/api/v1/network/topics", {"title": "Open data"}, content_type="application/json"
    )
    assert topic.status_code == 201
    slug = topic.json()["slug"]
    post = client.post(
        f"/api/v1/network/topics/{slug}/posts",
        {"body": "Who publishes 360Giving data?"},
        content_type="application/json",
    )
    assert post.status_code == 201
    reply = client.post(
        f"/api/v1/network/topics/{slug}/posts",
        {"body": "We do", "parent": post.json()["id"]},
        content_type="application/json",
    )
    assert reply.json()["parent"] == post.json()["id"]
    empty = client.post(
        f"/api/v1/network/topics/{slug}/posts", {"body": ""}, content_type="application/json"
    )
    assert empty.status_code == 422 and empty.json()["field"] == "body"
    listed = client.get(f"/api/v1/network/topics/{slug}/posts").json()
    assert [p["body"] for p in listed["items"]] == ["Who publishes 360Giving data?", "We do"]


def test_resources() -> None:
    client = api(factories.member())
    made = client.post(
        "/api/v1/network/resources",
        {
            "title": "Design system",
            "url": "https://design-system.service.gov.uk/",
            "tags": ["Design"],
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["tags"] == ["design"]
    bad = client.post(
        "/api/v1/network/resources",
        {"title": "x", "url": "not a link"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert client.get("/api/v1/network/resources", {"tag": "design"}).json()["count"] == 1


def test_boards_and_cards_read_and_write() -> None:
    lead = factories.member()
    board = factories.board_of(factories.initiative(by=lead))
    todo, doing, _done = board.lists.order_by("position")
    client = api(lead)
    card = client.post(
        f"/api/v1/network/boards/{board.pk}/cards",
        {"list_id": todo.pk, "title": "Draft the plan"},
        content_type="application/json",
    )
    assert card.status_code == 201
    moved = client.post(
        f"/api/v1/network/cards/{card.json()['id']}/move",
        {"list_id": doing.pk},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["list_id"] == doing.pk
    read = client.get(f"/api/v1/network/boards/{board.pk}").json()
    assert [(lst["name"], [c["title"] for c in lst["cards"]]) for lst in read["lists"]] == [
        ("To do", []),
        ("Doing", ["Draft the plan"]),
        ("Done", []),
    ]
    outsider = api(factories.member())
    refused = outsider.post(
        f"/api/v1/network/cards/{card.json()['id']}/move",
        {"list_id": todo.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    wrong_list = client.post(
        f"/api/v1/network/cards/{card.json()['id']}/move",
        {"list_id": 999999},
        content_type="application/json",
    )
    assert wrong_list.status_code == 422 and wrong_list.json()["field"] == "list_id"


def test_board_import_once() -> None:
    lead = factories.member()
    initiative = factories.initiative(by=lead)
    client = api(lead)
    content = (FIXTURES / "trello_small.json").read_bytes()
    first = client.post(
        f"/api/v1/network/initiatives/{initiative.slug}/import",
        {"file": SimpleUploadedFile("b.json", content)},
    )
    assert first.status_code == 201 and first.json()["counts"]["cards"] == 7
    again = client.post(
        f"/api/v1/network/initiatives/{initiative.slug}/import",
        {"file": SimpleUploadedFile("b.json", content)},
    )
    assert again.status_code == 409
    broken = client.post(
        f"/api/v1/network/initiatives/{initiative.slug}/import",
        {"file": SimpleUploadedFile("b.json", b"{")},
    )
    assert broken.status_code == 422 and "not valid JSON" in broken.json()["detail"]
