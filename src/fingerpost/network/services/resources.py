"""The resource library: links and uploaded files, with versions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.text import get_valid_filename

from fingerpost.accounts.models import User
from fingerpost.core.errors import Invalid, NotAllowed
from fingerpost.core.text import visible_lines, visible_text

from .. import search_index
from ..models import Discipline, Resource, ResourceVersion
from ..models.resources import ResourceKind
from .common import clean_link, unique_slug


@dataclass(frozen=True)
class FileType:
    content_type: str
    # How such a file starts (None: text, checked by decoding it).
    signatures: tuple[bytes, ...] | None


_OFFICE = (b"PK\x03\x04",)
ALLOWED_TYPES: dict[str, FileType] = {
    ".pdf": FileType("application/pdf", (b"%PDF-",)),
    ".docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _OFFICE
    ),
    ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _OFFICE),
    ".pptx": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _OFFICE
    ),
    ".odt": FileType("application/vnd.oasis.opendocument.text", _OFFICE),
    ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", _OFFICE),
    ".odp": FileType("application/vnd.oasis.opendocument.presentation", _OFFICE),
    ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": FileType("text/plain", None),
    ".csv": FileType("text/csv", None),
    ".md": FileType("text/markdown", None),
}
ALLOWED_NAMES = ", ".join(sorted(e.lstrip(".").upper() for e in ALLOWED_TYPES if e != ".jpeg"))
STANDARD_POINTS = range(1, 15)
EDITABLE_FIELDS = ("title", "summary", "tags", "discipline", "standard_points", "url")


def max_upload_bytes() -> int:
    return int(settings.FINGERPOST_NETWORK_UPLOAD_MAX_MB) * 1024 * 1024


def check_upload(upload: UploadedFile) -> tuple[str, FileType]:
    """The file's safe name and type, or Invalid saying what is wrong with it."""
    name = get_valid_filename(os.path.basename(upload.name or "")) or "file"
    extension = os.path.splitext(name)[1].lower()
    file_type = ALLOWED_TYPES.get(extension)
    if file_type is None:
        raise Invalid(f"The file must be a {ALLOWED_NAMES} file.", field="file")
    if upload.size is None or upload.size == 0:
        raise Invalid("The file is empty.", field="file")
    if upload.size > max_upload_bytes():
        raise Invalid(
            f"The file must be smaller than {settings.FINGERPOST_NETWORK_UPLOAD_MAX_MB} MB.",
            field="file",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if file_type.signatures is None:
        if b"\x00" in head:
            raise Invalid(f"The file is not a {extension.lstrip('.').upper()} file.", field="file")
    elif not head.startswith(file_type.signatures):
        raise Invalid(f"The file is not a {extension.lstrip('.').upper()} file.", field="file")
    return name[:200], file_type


def _clean(details: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "title" in details:
        clean["title"] = visible_text(details["title"] or "")[:200]
        if not clean["title"]:
            raise Invalid("Enter a title.", field="title")
    if "summary" in details:
        clean["summary"] = visible_lines(details["summary"] or "")
    if "tags" in details:
        tags = details["tags"]
        if isinstance(tags, str):
            tags = tags.split(",")
        clean["tags"] = ", ".join(
            dict.fromkeys(visible_text(t).lower() for t in tags if visible_text(t))
        )[:500]
    if "discipline" in details:
        if details["discipline"] is not None and not isinstance(details["discipline"], Discipline):
            raise Invalid("Choose a discipline from the list.", field="discipline")
        clean["discipline"] = details["discipline"]
    if "standard_points" in details:
        points = sorted({int(p) for p in details["standard_points"] or []})
        if any(p not in STANDARD_POINTS for p in points):
            raise Invalid("Service Standard points are numbered 1 to 14.", field="standard_points")
        clean["standard_points"] = points
    if "url" in details:
        clean["url"] = clean_link(details["url"] or "")
    return clean


def _index(resource: Resource) -> None:
    discipline = resource.discipline.name if resource.discipline else ""
    search_index.put(
        search_index.Entry(
            kind="resource",
            key=resource.pk,
            title=resource.title,
            body=" ".join([resource.summary, resource.tags, discipline]),
            url=resource.get_absolute_url(),
        )
    )


def _add_version(resource: Resource, upload: UploadedFile, by: User) -> ResourceVersion:
    name, file_type = check_upload(upload)
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ResourceVersion(
        resource=resource,
        number=number,
        filename=name,
        content_type=file_type.content_type,
        size=upload.size or 0,
        uploaded_by=by,
    )
    version.file.save(name, upload, save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    resource.current_version = version
    resource.save(update_fields=["current_version", "updated_at"])
    return version


def share_resource(
    *, by: User, details: dict[str, Any], upload: UploadedFile | None = None
) -> Resource:
    """A new resource: a link (`details["url"]`) or a file (`upload`)."""
    clean = _clean(
        {
            "title": "",
            "summary": "",
            "tags": "",
            "discipline": None,
            "standard_points": [],
            "url": "",
            **details,
        }
    )
    if upload is None and not clean["url"]:
        raise Invalid("Enter a link or choose a file.", field="url")
    if upload is not None and clean["url"]:
        raise Invalid("Share either a link or a file, not both.", field="url")
    if upload is not None:
        check_upload(upload)  # refuse before anything is written
    with transaction.atomic():
        resource = Resource.objects.create(
            slug=unique_slug(Resource, clean["title"]),
            kind=ResourceKind.FILE if upload is not None else ResourceKind.LINK,
            shared_by=by,
            **clean,
        )
        if upload is not None:
            _add_version(resource, upload, by)
        _index(resource)
    return resource


def may_change(resource: Resource, user: User) -> bool:
    return resource.shared_by_id == user.pk or user.has_perm("network.moderate")


def update_resource(*, resource: Resource, by: User, details: dict[str, Any]) -> Resource:
    if not may_change(resource, by):
        raise NotAllowed("Only the person who shared it, or an organiser, can change it.")
    clean = _clean(details)
    if resource.kind == ResourceKind.LINK and "url" in clean and not clean["url"]:
        raise Invalid("Enter the link.", field="url")
    if resource.kind == ResourceKind.FILE:
        clean.pop("url", None)
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        for name, value in clean.items():
            setattr(resource, name, value)
        resource.save()
        _index(resource)
    return resource


def replace_file(*, resource: Resource, by: User, upload: UploadedFile) -> ResourceVersion:
    """A new version of the file; earlier versions stay downloadable."""
    if not may_change(resource, by):
        raise NotAllowed("Only the person who shared it, or an organiser, can replace the file.")
    if resource.kind != ResourceKind.FILE:
        raise Invalid("This resource is a link, not a file.", field="file")
    check_upload(upload)
    with transaction.atomic():
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        version = _add_version(locked, upload, by)
        _index(locked)
    return version
