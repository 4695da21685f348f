"""Keeping the search documents in step with what they describe.

Services call these inside their own transaction. On PostgreSQL the
document's full-text vector is computed by the database (title weighted
above body, English stemming); other databases leave it empty and search
falls back to matching words (queries.search)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.utils import timezone

from .models import SearchDocument

SEARCH_CONFIG = "english"


@dataclass(frozen=True)
class Entry:
    kind: str
    key: int
    title: str
    body: str
    url: str
    updated_at: datetime | None = None


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _vector() -> Any:
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="B", config=SEARCH_CONFIG
    )


def put(entry: Entry) -> None:
    document, _ = SearchDocument.objects.update_or_create(
        kind=entry.kind,
        key=entry.key,
        defaults={
            "title": entry.title[:500],
            "body": entry.body,
            "url": entry.url[:300],
            "updated_at": entry.updated_at or timezone.now(),
        },
    )
    if uses_full_text():
        SearchDocument.objects.filter(pk=document.pk).update(vector=_vector())


def put_many(entries: Iterable[Entry]) -> None:
    """For imports: many new documents in a few statements."""
    now = timezone.now()
    documents = [
        SearchDocument(
            kind=e.kind,
            key=e.key,
            title=e.title[:500],
            body=e.body,
            url=e.url[:300],
            updated_at=e.updated_at or now,
        )
        for e in entries
    ]
    if not documents:
        return
    SearchDocument.objects.bulk_create(documents, batch_size=500)
    if uses_full_text():
        kinds = {d.kind for d in documents}
        SearchDocument.objects.filter(
            kind__in=kinds, key__in=[d.key for d in documents], vector__isnull=True
        ).update(vector=_vector())


def remove(kind: str, key: int) -> None:
    SearchDocument.objects.filter(kind=kind, key=key).delete()
