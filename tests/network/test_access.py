"""Every network page and API operation for every kind of person: signed
out (sign in first), signed in but not verified (refused), each role, the
operator and a person with two roles (allowed), and the organisers' pages
for organisers only. Nothing is ever a server error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fingerpost.accounts.roles import Role
from tests.factories import OrganisationFactory, UserFactory, grant_role

from . import factories

pytestmark = pytest.mark.django_db

KINDS = ["anonymous", "unverified", *[str(r) for r in Role], "two_roles"]


def person(kind: str) -> Any:
    if kind == "anonymous":
        return None
    if kind == "unverified":
        return UserFactory(role="")
    if kind == "two_roles":
        user = UserFactory(role=Role.COORDINATOR)
        grant_role(user, Role.CHAMPION, OrganisationFactory())
        return user
    return UserFactory(role=kind)


@pytest.fixture
def world(settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    owner = factories.member()
    topic = factories.topic(by=owner)
    post = factories.post(topic, by=owner)
    resource = factories.file_resource(by=owner)
    initiative = factories.initiative(by=owner)
    board = factories.board_of(initiative)
    card = factories.card(board, owner)
    return {
        "handle": factories.profile_of(owner).handle,
        "topic": topic,
        "post": post,
        "resource": resource,
        "initiative": initiative,
        "board": board,
        "card": card,
        "org": OrganisationFactory(),
    }


def member_pages(w: dict[str, Any]) -> list[str]:
    t, p, r, i, b, c = w["topic"], w["post"], w["resource"], w["initiative"], w["board"], w["card"]
    return [
        "/network/",
        "/network/people/",
        f"/network/people/{w['handle']}/",
        "/network/profile/",
        "/network/emails/",
        "/network/search/?q=hello",
        "/network/topics/",
        "/network/topics/new/",
        f"/network/topics/{t.slug}/",
        f"/network/topics/{t.slug}/posts/{p.pk}/reply/",
        f"/network/topics/{t.slug}/posts/{p.pk}/report/",
        "/network/resources/",
        "/network/resources/new/",
        f"/network/resources/{r.slug}/",
        f"/network/resources/{r.slug}/download/",
        f"/network/resources/{r.slug}/download/1/",
        "/network/initiatives/",
        "/network/initiatives/new/",
        f"/network/initiatives/{i.slug}/",
        f"/network/boards/{b.pk}/",
        f"/network/boards/{b.pk}/archived/",
        f"/network/boards/{b.pk}/history/",
        f"/network/boards/{b.pk}/export.json",
        f"/network/boards/{b.pk}/export.csv",
        f"/network/cards/{c.pk}/",
    ]


def owner_pages(w: dict[str, Any]) -> list[str]:
    """Pages for the initiative's members, the resource's sharer or the organisation's staff."""
    i, b, c, r = w["initiative"], w["board"], w["card"], w["resource"]
    return [
        f"/network/initiatives/{i.slug}/boards/new/",
        f"/network/initiatives/{i.slug}/import/",
        f"/network/boards/{b.pk}/cards/new/",
        f"/network/boards/{b.pk}/lists/new/",
        f"/network/cards/{c.pk}/edit/",
        f"/network/resources/{r.slug}/edit/",
        f"/network/resources/{r.slug}/new-version/",
        f"/network/organisations/{w['org'].slug}/offer/",
    ]


def organiser_pages(w: dict[str, Any]) -> list[str]:
    return ["/network/reported/", f"/network/reported/{w['post'].pk}/hide/"]


def api_reads(w: dict[str, Any]) -> list[str]:
    return [
        "/api/v1/network/people",
        f"/api/v1/network/people/{w['handle']}",
        "/api/v1/network/topics",
        f"/api/v1/network/topics/{w['topic'].slug}/posts",
        "/api/v1/network/resources",
        f"/api/v1/network/resources/{w['resource'].slug}",
        "/api/v1/network/boards",
        f"/api/v1/network/boards/{w['board'].pk}",
        f"/api/v1/network/cards/{w['card'].pk}",
    ]


def client_for_kind(kind: str) -> tuple[Client, Any]:
    client = Client()
    user = person(kind)
    if user is not None:
        client.force_login(user)
    return client, user


def expect(
    kind: str, *, organisers_only: bool = False, owners_only: bool = False
) -> Callable[[int], bool]:
    if kind == "anonymous":
        return lambda status: status == 302
    if kind == "unverified":
        return lambda status: status == 403
    if organisers_only:
        allowed = kind in (Role.ORGANISER, Role.ADMIN)
        return lambda status: status == (200 if allowed else 403)
    if owners_only:
        allowed = kind in (Role.ORGANISER, Role.ADMIN)
        return lambda status: status == 200 if allowed else status == 403
    return lambda status: status == 200


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_for_every_kind_of_person(world: dict[str, Any], kind: str) -> None:
    client, _user = client_for_kind(kind)
    wrong = []
    for url in member_pages(world):
        status = client.get(url).status_code
        if not expect(kind)(status):
            wrong.append((url, status))
    for url in organiser_pages(world):
        status = client.get(url).status_code
        if not expect(kind, organisers_only=True)(status):
            wrong.append((url, status))
    for url in owner_pages(world):
        status = client.get(url).status_code
        if not expect(kind, owners_only=True)(status):
            wrong.append((url, status))
    assert not wrong, wrong


@pytest.mark.parametrize("kind", KINDS)
def test_every_api_read_for_every_kind_of_person(world: dict[str, Any], kind: str) -> None:
    client, _user = client_for_kind(kind)
    wrong = []
    for url in api_reads(world):
        status = client.get(url).status_code
        good = {"anonymous": 401, "unverified": 403}.get(kind, 200)
        if status != good:
            wrong.append((url, status))
    assert not wrong, wrong


@pytest.mark.parametrize("kind", KINDS)
def test_writes_for_every_kind_of_person(world: dict[str, Any], kind: str) -> None:
    """Posting a reply and moving a card: members post; only the initiative's
    members and organisers move cards; nobody unverified does either."""
    client, _user = client_for_kind(kind)
    t, p, c = world["topic"], world["post"], world["card"]
    reply = client.post(f"/network/topics/{t.slug}/posts/{p.pk}/reply/", {"body": "Me too"})
    doing = world["board"].lists.order_by("position")[1]
    move = client.post(
        f"/network/cards/{c.pk}/move/", {"move-list": doing.pk, "move-position": "1"}
    )
    if kind == "anonymous":
        assert (reply.status_code, move.status_code) == (302, 302)
        assert reply["Location"].startswith("/accounts/login/")
    elif kind == "unverified":
        assert (reply.status_code, move.status_code) == (403, 403)
    else:
        assert reply.status_code == 302
        assert move.status_code == (302 if kind in (Role.ORGANISER, Role.ADMIN) else 403)


def test_the_initiatives_own_members_may_change_its_board(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(world["initiative"].created_by)
    for url in owner_pages(world)[:7]:
        assert client.get(url).status_code == 200, url


def test_unknown_things_are_not_found(world: dict[str, Any]) -> None:
    client = Client()
    client.force_login(factories.member())
    for url in [
        "/network/people/nobody/",
        "/network/topics/nothing/",
        "/network/resources/nothing/",
        "/network/boards/999999/",
        "/network/cards/999999/",
        "/network/initiatives/nothing/",
        f"/network/topics/{world['topic'].slug}/posts/999999/reply/",
        "/api/v1/network/boards/999999",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_navigation_shows_the_network_only_to_verified_members(world: dict[str, Any]) -> None:
    client, _ = client_for_kind("unverified")
    assert 'href="/network/"' not in client.get("/").content.decode()
    client, _ = client_for_kind(Role.MEMBER)
    assert 'href="/network/"' in client.get("/").content.decode()
