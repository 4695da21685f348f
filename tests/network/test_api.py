"""The network API with a token: people for verified members only, topics
and posts, resources, boards and cards (read and write), board import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fingerpost.core.api_auth import issue_api_token
from fingerpost.network.models import Resource, ResourceVersion
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


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_file_is_uploaded_replaced_and_downloaded_through_the_api(media) -> None:
    owner = factories.member()
    client = api(owner)
    factories.discipline("communications")
    made = client.post(
        "/api/v1/network/resource-files",
        {
            "title": "Slides from the March event",
            "tags": "Events, slides",
            "discipline": "communications",
            "standard_points": ["5", "1"],
            "file": factories.pdf("march.pdf"),
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "file" and body["file"] == "march.pdf" and body["version"] == 1
    assert body["tags"] == ["events", "slides"] and body["standard_points"] == [1, 5]
    assert body["discipline"] == "Communications"
    slug = body["slug"]
    second = client.post(
        f"/api/v1/network/resources/{slug}/versions",
        {"file": factories.pdf("march-v2.pdf", factories.PDF + b"%v2")},
    )
    assert second.status_code == 201 and second.json()["number"] == 2
    versions = client.get(f"/api/v1/network/resources/{slug}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    reader = api(factories.member())
    latest = reader.get(f"/api/v1/network/resources/{slug}/download")
    assert latest.status_code == 200
    assert latest["Content-Disposition"].startswith('attachment; filename="march-v2.pdf"')
    assert latest["Cache-Control"] == "private, no-store"
    assert b"".join(latest.streaming_content).endswith(b"%v2")
    first = reader.get(f"/api/v1/network/resources/{slug}/versions/1/download")
    assert b"".join(first.streaming_content) == factories.PDF
    missing = reader.get(f"/api/v1/network/resources/{slug}/versions/9/download")
    assert missing.status_code == 404
    # Only the sharer (or an organiser) uploads a new version.
    refused = reader.post(
        f"/api/v1/network/resources/{slug}/versions", {"file": factories.pdf("mine.pdf")}
    )
    assert refused.status_code == 403
    assert Resource.objects.get(slug=slug).versions.count() == 2


def test_downloads_through_the_api_check_permission(media) -> None:
    resource = factories.file_resource()
    url = f"/api/v1/network/resources/{resource.slug}/download"
    assert Client().get(url).status_code == 401
    refused = api(UserFactory(role="")).get(url)
    assert refused.status_code == 403 and "verified members" in refused.json()["detail"]
    link = factories.link_resource()
    assert (
        api(factories.member()).get(f"/api/v1/network/resources/{link.slug}/download").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "The file must be a"),
        ("notes.pdf", b"<html>not a pdf</html>", "The file is not a PDF file"),
        ("empty.pdf", b"", "The file is empty"),
        ("big.pdf", factories.PDF + b"0" * (1024 * 1024), "smaller than 1 MB"),
    ],
)
def test_an_upload_of_the_wrong_type_or_size_is_refused_and_nothing_is_kept(
    media, settings, name: str, content: bytes, message: str
) -> None:
    settings.FINGERPOST_NETWORK_UPLOAD_MAX_MB = 1
    owner = factories.member()
    client = api(owner)
    refused = client.post(
        "/api/v1/network/resource-files",
        {"title": "Bad", "file": SimpleUploadedFile(name, content)},
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "file" and message in refused.json()["detail"]
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()
    # A new version of the wrong kind is refused the same way.
    resource = factories.file_resource(by=owner)
    stored = _stored_files(media)
    again = client.post(
        f"/api/v1/network/resources/{resource.slug}/versions",
        {"file": SimpleUploadedFile(name, content)},
    )
    assert again.status_code == 422 and message in again.json()["detail"]
    assert resource.versions.count() == 1 and _stored_files(media) == stored


def test_an_unknown_discipline_is_refused(media) -> None:
    refused = api(factories.member()).post(
        "/api/v1/network/resource-files",
        {"title": "Slides", "discipline": "astrology", "file": factories.pdf()},
    )
    assert refused.status_code == 422 and refused.json()["field"] == "discipline"
    assert not Resource.objects.exists()
