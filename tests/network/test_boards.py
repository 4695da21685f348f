"""Initiative boards: cards keep their order when moved (by the form that
works without JavaScript), archived cards leave the board, and every change
is in the board's history with who did it."""

import pytest
from django.test import Client

from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.network.models import Card, CardEvent
from fingerpost.network.services import boards

from . import factories

pytestmark = pytest.mark.django_db


def titles(board_list) -> list[str]:
    return list(
        Card.objects.filter(list=board_list, archived=False)
        .order_by("position")
        .values_list("title", flat=True)
    )


def setup():
    lead = factories.member()
    initiative = factories.initiative(by=lead)
    board = factories.board_of(initiative)
    todo, doing, done = board.lists.order_by("position")
    cards = [factories.card(board, lead, title) for title in ("A", "B", "C")]
    return lead, board, (todo, doing, done), cards


def test_moving_cards_keeps_the_order() -> None:
    lead, board, (todo, doing, _done), (a, b, c) = setup()
    boards.move_card(card=c, by=lead, to_list=todo, position=1)
    assert titles(todo) == ["C", "A", "B"]
    boards.move_card(card=a, by=lead, to_list=doing)
    assert titles(todo) == ["C", "B"] and titles(doing) == ["A"]
    boards.move_card(card=b, by=lead, to_list=doing, position=99)
    assert titles(doing) == ["A", "B"]
    positions = list(
        Card.objects.filter(list=doing).order_by("position").values_list("position", flat=True)
    )
    assert positions == [0, 1]
    history = list(
        CardEvent.objects.filter(board=board, action="card_moved").values_list("detail", "actor")
    )
    assert ("Moved “A” from To do to Doing", lead.pk) in history


def test_a_card_moves_by_the_form_without_javascript(client: Client) -> None:
    lead, _board, (_todo, doing, _done), (a, _b, _c) = setup()
    client.force_login(lead)
    response = client.post(
        f"/network/cards/{a.pk}/move/", {"move-list": doing.pk, "move-position": ""}
    )
    assert response.status_code == 302
    assert titles(doing) == ["A"]
    response = client.post(
        f"/network/cards/{a.pk}/move/", {"move-list": 999999, "move-position": "1"}
    )
    assert response.status_code == 400
    assert titles(doing) == ["A"]


def test_archiving_takes_the_card_off_the_board_and_back() -> None:
    lead, _board, (todo, *_), (a, _b, _c) = setup()
    boards.set_archived(card=a, by=lead, archived=True)
    assert titles(todo) == ["B", "C"]
    with pytest.raises(Conflict, match="archived"):
        boards.move_card(card=Card.objects.get(pk=a.pk), by=lead, to_list=todo)
    boards.set_archived(card=Card.objects.get(pk=a.pk), by=lead, archived=False)
    assert titles(todo) == ["B", "C", "A"]


def test_only_members_of_the_initiative_change_the_board() -> None:
    _lead, board, (todo, *_), (a, *_rest) = setup()
    outsider = factories.member()
    with pytest.raises(NotAllowed):
        boards.move_card(card=a, by=outsider, to_list=todo)
    boards.join_initiative(initiative=board.initiative, by=outsider)
    boards.move_card(card=a, by=outsider, to_list=todo, position=2)
    organiser = factories.member(role="organiser")
    boards.add_card(board=board, by=organiser, board_list=todo, title="From an organiser")


def test_a_list_of_another_board_is_refused() -> None:
    lead, _board, _lists, (a, *_rest) = setup()
    other = factories.board_of(factories.initiative(by=lead, title="Other"))
    with pytest.raises(Invalid):
        boards.move_card(card=a, by=lead, to_list=other.lists.first())


def test_card_details_checklists_comments_and_links() -> None:
    lead, _board, _lists, (a, *_rest) = setup()
    item = boards.add_checklist_item(card=a, by=lead, text="Ring the venue")
    boards.set_item_done(item=item, by=lead, done=True)
    boards.add_comment(card=a, by=lead, body="Booked for the 12th")
    resource = factories.link_resource(by=lead)
    boards.attach(card=a, by=lead, resource=resource)
    a.refresh_from_db()
    assert a.checklists.get().items.get().done
    assert a.comments.get().body == "Booked for the 12th"
    assert a.attachments.get().resource == resource
    assert CardEvent.objects.filter(card=a).count() >= 4


def test_the_lead_cannot_leave_an_initiative_without_another_lead() -> None:
    lead, board, *_ = setup()
    with pytest.raises(Conflict, match="make someone else a lead"):
        boards.leave_initiative(initiative=board.initiative, by=lead)


def test_export_as_csv_and_json(client: Client) -> None:
    _lead, board, _lists, _cards = setup()
    client.force_login(factories.member())
    csv = client.get(f"/network/boards/{board.pk}/export.csv")
    assert csv.status_code == 200 and b"To do,1,A" in csv.content
    data = client.get(f"/network/boards/{board.pk}/export.json").json()
    assert [c["name"] for c in data["cards"]] == ["A", "B", "C"]
    assert client.get(f"/network/boards/{board.pk}/export.xml").status_code == 404
