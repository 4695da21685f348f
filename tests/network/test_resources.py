"""The resource library: uploads limited by size and type, kept through the
storage API with a version for each new file, and downloaded only by those
allowed to see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fingerpost.core.errors import Invalid, NotAllowed
from fingerpost.network.models import Resource, ResourceVersion
from fingerpost.network.services import resources
from tests.factories import UserFactory

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_a_file_is_shared_and_new_versions_keep_the_old(client: Client) -> None:
    user = factories.member()
    resource = resources.share_resource(
        by=user,
        details={
            "title": "Slides from the March event",
            "tags": "Events, slides, events",
            "standard_points": [5, 1],
        },
        upload=factories.pdf("march.pdf"),
    )
    assert resource.tags == "events, slides"
    assert resource.standard_points == [1, 5]
    second = resources.replace_file(
        resource=resource, by=user, upload=factories.pdf("march-v2.pdf", factories.PDF + b"%v2")
    )
    assert second.number == 2
    resource.refresh_from_db()
    assert resource.current_version == second
    client.force_login(factories.member())
    latest = client.get(f"/network/resources/{resource.slug}/download/")
    assert latest.status_code == 200
    assert latest["Content-Disposition"].startswith('attachment; filename="march-v2.pdf"')
    assert b"".join(latest.streaming_content).endswith(b"%v2")
    first = client.get(f"/network/resources/{resource.slug}/download/1/")
    assert b"".join(first.streaming_content) == factories.PDF
    assert client.get(f"/network/resources/{resource.slug}/download/9/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "must be a"),
        ("notes.pdf", b"<html>not a pdf</html>", "is not a PDF file"),
        ("picture.png", b"GIF89a", "is not a PNG file"),
        ("data.csv", b"a,b\x00c", "is not a CSV file"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_the_wrong_type_is_refused_and_nothing_is_kept(
    name: str, content: bytes, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        resources.share_resource(
            by=factories.member(),
            details={"title": "Bad"},
            upload=SimpleUploadedFile(name, content),
        )
    assert not Resource.objects.exists() and not ResourceVersion.objects.exists()


def test_a_file_too_large_is_refused_on_the_page(client: Client, settings) -> None:
    settings.FINGERPOST_NETWORK_UPLOAD_MAX_MB = 1
    client.force_login(factories.member())
    big = SimpleUploadedFile("big.pdf", factories.PDF + b"0" * (1024 * 1024))
    response = client.post("/network/resources/new/", {"title": "Big", "file": big})
    assert response.status_code == 400
    assert "The file must be smaller than 1 MB" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_link_needs_a_web_address() -> None:
    with pytest.raises(Invalid, match="Enter a link or choose a file"):
        resources.share_resource(by=factories.member(), details={"title": "Nothing"})
    with pytest.raises(Invalid, match="https://"):
        resources.share_resource(
            by=factories.member(), details={"title": "Bad", "url": "ftp://example.org"}
        )
    link = factories.link_resource()
    assert link.kind == "link"


def test_only_the_sharer_or_an_organiser_changes_it() -> None:
    owner = factories.member()
    resource = factories.link_resource(by=owner)
    with pytest.raises(NotAllowed):
        resources.update_resource(
            resource=resource, by=factories.member(), details={"title": "Mine now"}
        )
    organiser = factories.member(role="organiser")
    assert (
        resources.update_resource(
            resource=resource, by=organiser, details={"title": "Tidied"}
        ).title
        == "Tidied"
    )


def test_downloads_check_permission(client: Client) -> None:
    resource = factories.file_resource()
    url = f"/network/resources/{resource.slug}/download/"
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory(role=""))
    assert client.get(url).status_code == 403
