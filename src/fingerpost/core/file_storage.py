"""Where uploaded files are kept, chosen by one setting.

`FILE_STORAGE_URL` names the store:

- empty (the default) or `file:` / `file:///some/folder`: the local disk,
  under `MEDIA_ROOT` unless a folder is given;
- `s3://bucket/optional/prefix?endpoint_url=https://...&region_name=...`:
  an S3-compatible store (AWS, MinIO, Ceph, a cloud's object storage),
  through django-storages (`pip install fingerpost[s3]`). The keys come
  from boto3's usual places (`AWS_ACCESS_KEY_ID` and
  `AWS_SECRET_ACCESS_KEY` in the environment, or the host's role).

Objects are private, never overwritten, and never linked to directly: the
network's download view reads them through the storage after checking
permission. Kept free of Django imports so the settings can call it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
# Query parameters of an s3:// address passed on to S3Storage.
S3_OPTIONS = {
    "endpoint_url",
    "region_name",
    "addressing_style",
    "signature_version",
    "custom_domain",
    "max_memory_size",
    "use_ssl",
    "verify",
}


class StorageURLError(ValueError):
    pass


def storage_from_url(url: str) -> dict[str, Any]:
    """The `STORAGES` entry that `url` names (see the module's docstring)."""
    url = url.strip()
    if not url:
        return {"BACKEND": FILE_SYSTEM}
    parts = urlsplit(url)
    if parts.scheme == "file":
        folder = unquote(parts.path)
        return {"BACKEND": FILE_SYSTEM, **({"OPTIONS": {"location": folder}} if folder else {})}
    if parts.scheme == "s3":
        if not parts.netloc:
            raise StorageURLError("FILE_STORAGE_URL needs a bucket: s3://bucket-name")
        extra = dict(parse_qsl(parts.query))
        unknown = set(extra) - S3_OPTIONS
        if unknown:
            names = ", ".join(sorted(unknown))
            raise StorageURLError(f"FILE_STORAGE_URL has options S3 storage does not take: {names}")
        options: dict[str, Any] = {
            "bucket_name": parts.netloc,
            "location": unquote(parts.path).strip("/"),
            # Private objects, signed short-lived reads, no silent overwrites.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            **extra,
        }
        for flag in ("use_ssl", "verify"):
            if flag in options:
                options[flag] = options[flag].lower() not in {"0", "false", "no", "off"}
        if "max_memory_size" in options:
            options["max_memory_size"] = int(options["max_memory_size"])
        return {"BACKEND": S3, "OPTIONS": options}
    raise StorageURLError(f"FILE_STORAGE_URL must start file: or s3://, not {parts.scheme}:")
