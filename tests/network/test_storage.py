"""Uploaded files are kept where FILE_STORAGE_URL says (the local disk by
default, an S3-compatible store by setting), and never served from a public
address."""

import os
import subprocess
import sys

import pytest
from django.core.files.storage import FileSystemStorage, StorageHandler
from django.test import Client
from django.urls import Resolver404, resolve

from fingerpost.core.file_storage import FILE_SYSTEM, S3, StorageURLError, storage_from_url
from fingerpost.network.models import ResourceVersion

from . import factories


def test_local_disk_is_the_default() -> None:
    assert storage_from_url("") == {"BACKEND": FILE_SYSTEM}
    assert storage_from_url("file:///srv/fingerpost/files") == {
        "BACKEND": FILE_SYSTEM,
        "OPTIONS": {"location": "/srv/fingerpost/files"},
    }
    assert isinstance(ResourceVersion._meta.get_field("file").storage, FileSystemStorage)


def test_an_s3_address_selects_private_s3_storage() -> None:
    pytest.importorskip("storages")
    entry = storage_from_url(
        "s3://partnership-files/network?endpoint_url=https://objects.example.org"
        "&region_name=eu-west-2&addressing_style=path"
    )
    assert entry["BACKEND"] == S3
    storage = StorageHandler({"default": entry})["default"]
    from storages.backends.s3 import S3Storage

    assert isinstance(storage, S3Storage)  # built without touching the network
    assert storage.bucket_name == "partnership-files"
    assert storage.location == "network"
    assert storage.endpoint_url == "https://objects.example.org"
    assert storage.region_name == "eu-west-2"
    assert storage.default_acl == "private" and storage.querystring_auth
    assert storage.file_overwrite is False


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://", "needs a bucket"),
        ("s3://bucket?acl=public-read", "does not take: acl"),
        ("ftp://example.org/files", "must start file: or s3://"),
    ],
)
def test_a_wrong_address_is_refused(url: str, message: str) -> None:
    with pytest.raises(StorageURLError, match=message):
        storage_from_url(url)


def test_the_environment_setting_reaches_the_resource_files() -> None:
    """The whole path: FILE_STORAGE_URL in the environment, the settings, the
    network's storage alias and the file field (no network needed)."""
    pytest.importorskip("storages")
    code = (
        "import django; django.setup();"
        "from fingerpost.network.models import ResourceVersion;"
        "s = ResourceVersion._meta.get_field('file').storage;"
        "print(type(s).__name__, s.bucket_name, s.location)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fingerpost.settings",
        "FILE_STORAGE_URL": "s3://partnership-files/uploads?endpoint_url=http://127.0.0.1:9",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    env.pop("DATABASE_URL", None)
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["S3Storage", "partnership-files", "uploads"]


@pytest.mark.django_db
def test_stored_files_have_no_public_address(client: Client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    resource = factories.file_resource()
    name = resource.current_version.file.name
    assert (tmp_path / name).exists()
    for path in (f"/media/{name}", f"/{name}", f"/static/{name}"):
        with pytest.raises(Resolver404):
            resolve(path)
    client.force_login(factories.member())
    for path in (f"/media/{name}", f"/{name}"):
        assert client.get(path).status_code == 404
    # Only the permission-checked view hands it out.
    assert client.get(f"/network/resources/{resource.slug}/download/").status_code == 200
    client.logout()
    assert client.get(f"/network/resources/{resource.slug}/download/").status_code == 302
