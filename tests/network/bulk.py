"""Many rows at once, written straight to the tables (not through the
services, which are too slow for tens of thousands), for query-count tests
and the benchmark."""

from __future__ import annotations

import itertools

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.network.models import (
    Board,
    Card,
    CardEvent,
    Discipline,
    Initiative,
    InitiativeMember,
    Post,
    PostReport,
    Profile,
    Resource,
    SearchDocument,
    Topic,
)
from fingerpost.network.search_index import _vector, uses_full_text
from fingerpost.organisations.models import Membership, Organisation, Verification

BATCH = 2000
_batches = itertools.count(1)


def people(count: int, organisation: Organisation, *, start: int = 0) -> None:
    now = timezone.now()
    password = make_password(None)
    discipline = Discipline.objects.first()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk{start + n}@example.org",
                full_name=f"Bulk Person {start + n}",
                password=password,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=u,
                organisation=organisation,
                verified_at=now,
                verification=Verification.APPROVAL,
            )
            for u in users
        ],
        batch_size=BATCH,
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                handle=f"bulk-{start + n}",
                discipline=discipline,
                skills="accessibility testing, research",
                job_title="Officer",
            )
            for n, u in enumerate(users)
        ],
        batch_size=BATCH,
    )


def topics_and_posts(count: int, author: User) -> Topic:
    now = timezone.now()
    batch = next(_batches)
    topics = Topic.objects.bulk_create(
        [
            Topic(
                title=f"Topic {n}",
                slug=f"bulk-topic-{batch}-{n}",
                created_by=author,
                last_post_at=now,
                post_count=1,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    Post.objects.bulk_create(
        [Post(topic=t, author=author, body="Hello") for t in topics], batch_size=BATCH
    )
    return topics[0]


def posts_in(topic: Topic, count: int, author: User) -> None:
    parents = Post.objects.bulk_create(
        [Post(topic=topic, author=author, body=f"Post {n}") for n in range(count)], batch_size=BATCH
    )
    Post.objects.bulk_create(
        [Post(topic=topic, author=author, body="Reply", parent=p) for p in parents],
        batch_size=BATCH,
    )


def resources(count: int, by: User, *, start: int = 0) -> None:
    Resource.objects.bulk_create(
        [
            Resource(
                title=f"Guide {start + n}",
                slug=f"bulk-guide-{start + n}",
                kind="link",
                url="https://example.org/",
                shared_by=by,
                tags="guide",
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )


def initiatives(count: int, by: User) -> None:
    """`count` initiatives, each with its lead and a board."""
    batch = next(_batches)
    made = Initiative.objects.bulk_create(
        [
            Initiative(title=f"Initiative {n}", slug=f"bulk-initiative-{batch}-{n}", created_by=by)
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    InitiativeMember.objects.bulk_create(
        [InitiativeMember(initiative=i, user=by, is_lead=True) for i in made], batch_size=BATCH
    )
    Board.objects.bulk_create(
        [Board(initiative=i, title=f"Board of {i.title}") for i in made], batch_size=BATCH
    )


def reports(count: int, topic: Topic, by: User) -> None:
    """`count` posts in `topic`, each reported once and not yet dealt with."""
    posts = Post.objects.bulk_create(
        [Post(topic=topic, author=by, body=f"Reported {n}") for n in range(count)],
        batch_size=BATCH,
    )
    PostReport.objects.bulk_create(
        [PostReport(post=p, reported_by=by, reason="Off topic") for p in posts], batch_size=BATCH
    )


def cards(
    board: Board, count: int, by: User, *, archived_every: int = 10, events: int | None = None
) -> None:
    """`count` cards on `board` (every `archived_every`th archived) and
    `events` entries of its history (as many as cards unless given)."""
    lists = list(board.lists.all())
    Card.objects.bulk_create(
        [
            Card(
                board=board,
                list=lists[n % len(lists)],
                title=f"Card {n}",
                position=n,
                created_by=by,
                archived=n % archived_every == 0,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    CardEvent.objects.bulk_create(
        [
            CardEvent(board=board, actor=by, action="card_added", detail=f"Added card {n}")
            for n in range(count if events is None else events)
        ],
        batch_size=BATCH,
    )


def search_documents(count: int, *, start: int = 0, word: str = "accessibility") -> None:
    now = timezone.now()
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                kind=("person", "post", "resource", "card")[n % 4],
                key=start + n + 1_000_000,
                title=f"{word} item {n}",
                body=f"About {word} testing, number {n}",
                url="/network/",
                updated_at=now,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    if uses_full_text():
        SearchDocument.objects.filter(vector__isnull=True).update(vector=_vector())
