"""Network test data, made through the services so the search documents and
history are what the pages would make."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from fingerpost.accounts.models import User
from fingerpost.network.models import (
    Board,
    Card,
    Discipline,
    Initiative,
    Post,
    Profile,
    Resource,
    Topic,
)
from fingerpost.network.services import boards, conversations, people, resources
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def member(role: str = "member", **profile: Any) -> User:
    user = UserFactory(role=role)
    found = people.ensure_profile(user=user)
    if profile:
        people.update_profile(profile=found, by=user, details=profile)
    return user


def profile_of(user: User) -> Profile:
    return Profile.objects.get(user=user)


def discipline(slug: str = "web-development") -> Discipline:
    # The starting disciplines come from a migration; browser tests run on a
    # database that is emptied between tests, so make one when it is missing.
    found, _ = Discipline.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").capitalize()}
    )
    return found


def topic(by: User | None = None, title: str = "Accessibility") -> Topic:
    return conversations.create_topic(by=by or member(), title=title)


def post(topic: Topic, by: User | None = None, body: str = "Hello, network") -> Post:
    return conversations.create_post(topic=topic, by=by or member(), body=body)


def pdf(name: str = "slides.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def file_resource(by: User | None = None, title: str = "Event slides") -> Resource:
    return resources.share_resource(by=by or member(), details={"title": title}, upload=pdf())


def link_resource(by: User | None = None, title: str = "Service manual") -> Resource:
    return resources.share_resource(
        by=by or member(), details={"title": title, "url": "https://www.gov.uk/service-manual"}
    )


def initiative(by: User | None = None, title: str = "Digital inclusion week") -> Initiative:
    return boards.create_initiative(by=by or member(), title=title)


def board_of(found: Initiative) -> Board:
    board = found.boards.first()
    assert board is not None
    return board


def card(board: Board, by: User, title: str = "Book venues", list_position: int = 0) -> Card:
    target = board.lists.order_by("position")[list_position]
    return boards.add_card(board=board, by=by, board_list=target, title=title)
