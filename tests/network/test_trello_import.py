"""Bringing in boards exported from Trello: the same lists, cards, order,
labels, checklist states and comments; a clear error and nothing written
for a malformed file; the same board never twice."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.network.models import (
    Board,
    Card,
    CardComment,
    CardEvent,
    ChecklistItem,
    SearchDocument,
)
from fingerpost.network.services import trello

from . import factories
from .trello_exports import FIXTURES, as_bytes, large_board

pytestmark = pytest.mark.django_db


def upload(content: bytes, name: str = "board.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def small() -> bytes:
    return (FIXTURES / "trello_small.json").read_bytes()


def bring_in(content: bytes, by: Any = None) -> tuple[Board, Any]:
    by = by or factories.member()
    initiative = factories.initiative(by=by)
    pending = trello.preview_import(initiative=initiative, by=by, upload=upload(content))
    return trello.import_board(board_import=pending, by=by), pending


def expected_order(export: dict[str, Any]) -> dict[str, list[str]]:
    """List name -> card names in Trello's order (by pos), archived included."""
    names = {item["id"]: item["name"] for item in export["lists"]}
    order: dict[str, list[tuple[float, str]]] = {}
    for card in export["cards"]:
        order.setdefault(names[card["idList"]], []).append((card["pos"], card["name"]))
    return {name: [title for _pos, title in sorted(cards)] for name, cards in order.items()}


def test_the_small_board_comes_in_whole() -> None:
    export = json.loads(small())
    jane = factories.member()
    jane.full_name = "Jane Smith"
    jane.save()
    board, pending = bring_in(small(), by=jane)

    assert pending.counts == {
        "lists": 4,
        "archived_lists": 1,
        "cards": 7,
        "archived_cards": 1,
        "labels": 4,
        "checklists": 2,
        "checklist_items": 4,
        "items_done": 2,
        "comments": 3,
        "history": 10,
        "attachments": 2,
        "people": 3,
        "people_matched": 1,
    }
    assert [(item.name, item.archived) for item in board.lists.all()] == [
        ("To do", False),
        ("Doing", False),
        ("Done", False),
        ("Old ideas", True),
    ]
    got = {
        item.name: [c.title for c in Card.objects.filter(list=item).order_by("position")]
        for item in board.lists.all()
    }
    assert got == expected_order(export)
    assert got["To do"][0] == "Print the posters"  # pos 8192 comes before 16384

    venues = Card.objects.get(board=board, title="Book the library venues")
    assert venues.description == "Weymouth, Dorchester and Bridport."
    assert venues.due_at is not None and venues.due_at.isoformat() == "2024-04-12T16:00:00+00:00"
    assert [label.name for label in venues.labels.all()] == ["Quick win"]
    assert list(venues.people.all()) == [jane]
    items = ChecklistItem.objects.filter(checklist__card=venues).order_by("position")
    assert [(i.text, i.done) for i in items] == [
        ("Weymouth", True),
        ("Dorchester", True),
        ("Bridport", False),
    ]
    comments = list(CardComment.objects.filter(card=venues).order_by("created_at"))
    assert [(c.author_name, c.body) for c in comments] == [
        ("Sam Patel", "Dorchester is confirmed for the Tuesday."),
        ("Jane Smith", "Thanks Sam!"),
    ]
    assert comments[0].author is None and comments[1].author == jane
    assert comments[0].created_at.year == 2024

    assert Card.objects.get(board=board, title="Cancelled street stall").archived
    assert Card.objects.get(board=board, title="Agree the dates").due_done
    press = Card.objects.get(board=board, title="Write the press release")
    assert press.attachments.first().url == "https://docs.example.org/press-release"

    assert any("files uploaded to Trello" in line for line in pending.report)
    assert any("Sam Patel: not a member here" in line for line in pending.report)
    # Open cards are searchable, archived ones are not.
    assert SearchDocument.objects.filter(kind="card").count() == 6


def test_a_large_board_with_over_a_thousand_actions() -> None:
    export = large_board()
    assert len(export["actions"]) > 1000
    board, pending = bring_in(as_bytes(export))
    assert pending.counts["cards"] == 300
    assert pending.counts["archived_cards"] == sum(1 for c in export["cards"] if c["closed"])
    got = {
        item.name: [c.title for c in Card.objects.filter(list=item).order_by("position")]
        for item in board.lists.all()
        if item.cards.exists()
    }
    assert got == expected_order(export)
    done = sum(1 for c in export["checklists"] for i in c["checkItems"] if i["state"] == "complete")
    assert ChecklistItem.objects.filter(checklist__card__board=board, done=True).count() == done
    assert ChecklistItem.objects.filter(checklist__card__board=board).count() == sum(
        len(c["checkItems"]) for c in export["checklists"]
    )
    comments = sum(1 for a in export["actions"] if a["type"] == "commentCard")
    assert CardComment.objects.filter(card__board=board).count() == comments
    assert Card.labels.through.objects.filter(card__board=board).count() == sum(
        len(c["idLabels"]) for c in export["cards"]
    )
    # The activity history comes in whole, with who and when.
    assert pending.counts["history"] == len(export["actions"])
    events = CardEvent.objects.filter(board=board).exclude(action="imported")
    assert events.count() == len(export["actions"])
    moves = [a for a in export["actions"] if a["type"] == "updateCard" and "listAfter" in a["data"]]
    assert events.filter(action="moved").count() == len(moves)
    assert events.filter(action="created").count() == 300
    assert events.filter(action="commented").count() == comments
    assert events.filter(action="archived").count() == sum(
        1 for a in export["actions"] if a["data"].get("old", {}).get("closed") is False
    )
    assert events.filter(action="updated").count() > 0
    assert events.filter(action="checked").count() > 0
    newest = export["actions"][0]
    latest = events.order_by("-at", "-pk").first()
    assert latest.at.isoformat().replace("+00:00", "Z") == newest["date"].replace(".000", "")
    assert latest.actor_name == newest["memberCreator"]["fullName"]
    first_move = min(moves, key=lambda a: a["date"])
    moved = events.filter(action="moved").order_by("at", "pk").first()
    assert moved.detail == (
        f"Moved “{first_move['data']['card']['name']}” from "
        f"{first_move['data']['listBefore']['name']} to {first_move['data']['listAfter']['name']}"
    )
    assert moved.card is not None and moved.card.trello_id == first_move["data"]["card"]["id"]
    assert not any("activity history" in line for line in pending.report)


def test_the_same_board_is_imported_once() -> None:
    by = factories.member()
    board, _ = bring_in(small(), by=by)
    initiative = board.initiative
    again = trello.preview_import(initiative=initiative, by=by, upload=upload(small()))
    assert again.board == board  # the preview says so
    history = CardEvent.objects.count()
    with pytest.raises(Conflict, match="imported already"):
        trello.import_board(board_import=again, by=by)
    assert Board.objects.filter(trello_id=board.trello_id).count() == 1
    assert CardEvent.objects.count() == history


def test_the_history_names_members_and_keeps_trello_names(client: Any) -> None:
    jane = factories.member()
    jane.full_name = "Jane Smith"
    jane.save()
    board, _ = bring_in(small(), by=jane)
    venues = Card.objects.get(board=board, title="Book the library venues")
    events = CardEvent.objects.filter(card=venues).order_by("at", "pk")
    assert [(e.action, e.who) for e in events] == [
        ("created", "Jane Smith"),
        ("commented", "Sam Patel"),
        ("commented", "Jane Smith"),
    ]
    assert events[0].actor == jane and events[1].actor is None
    assert events[0].at.year == 2024
    assert events[0].detail == "Added “Book the library venues” to To do"
    client.force_login(jane)
    page = client.get(f"/network/boards/{board.pk}/history/").content.decode()
    assert "Sam Patel" in page and "Commented on “Book the library venues”" in page
    card_page = client.get(venues.get_absolute_url()).content.decode()
    assert "Added “Book the library venues” to To do \u2013 Jane Smith" in card_page


def test_unknown_activity_is_kept_in_trello_words() -> None:
    export = json.loads(small())
    export["actions"].insert(
        0,
        {
            "id": "a1",
            "type": "addToOrganizationBoard",
            "date": "2024-05-01T10:00:00.000Z",
            "data": {"board": {"id": export["id"]}},
            "memberCreator": {"id": "m9", "fullName": "Pat Lee", "username": "patlee"},
        },
    )
    export["actions"].insert(0, {"id": "a2", "type": "updateCard", "data": "broken"})
    board, pending = bring_in(json.dumps(export).encode())
    event = CardEvent.objects.get(board=board, action="trello")
    assert event.detail == "Add to organization board" and event.who == "Pat Lee"
    assert event.card is None
    assert any("1 entries of the board's activity history" in line for line in pending.report)


def test_confirming_one_preview_twice_imports_once() -> None:
    by = factories.member()
    initiative = factories.initiative(by=by)
    pending = trello.preview_import(initiative=initiative, by=by, upload=upload(small()))
    trello.import_board(board_import=pending, by=by)
    with pytest.raises(Conflict):
        trello.import_board(board_import=pending, by=by)
    assert Card.objects.filter(board__trello_id__isnull=False).count() == 7


def broken(change: Any) -> bytes:
    export = json.loads(small())
    change(export)
    return json.dumps(export).encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"{not json", "not valid JSON (line 1, column 2)"),
        (b"\xff\xfe\x00", "not text in UTF-8"),
        (b"[1, 2]", "does not hold a board"),
        (json.dumps({"name": "x", "lists": [], "cards": []}).encode(), "the board has no “id”"),
        (broken(lambda e: e.pop("lists")), "it has no “lists”"),
        (broken(lambda e: e.update(cards="many")), "“cards” is not a list of records"),
        (
            broken(lambda e: e["cards"][2].update(idList="nowhere")),
            "card 3 (“Print the posters”) is on a list that is not in the file",
        ),
        (broken(lambda e: e["cards"][0].update(pos="top")), "the “pos” of card 1"),
        (broken(lambda e: e["cards"][0].update(due="next Tuesday")), "the date of card 1"),
        (
            broken(lambda e: e["checklists"][0]["checkItems"][0].update(state="maybe")),
            "neither complete nor incomplete",
        ),
        (
            broken(lambda e: e["cards"].append(dict(e["cards"][0]))),
            "has the same id as another card",
        ),
    ],
)
def test_a_malformed_file_is_refused_clearly_and_nothing_is_written(
    content: bytes, message: str
) -> None:
    by = factories.member()
    initiative = factories.initiative(by=by)
    before = (Board.objects.count(), Card.objects.count())
    with pytest.raises(Invalid) as refused:
        trello.preview_import(initiative=initiative, by=by, upload=upload(content))
    assert message in refused.value.message
    assert refused.value.field == "file"
    assert (Board.objects.count(), Card.objects.count()) == before


def test_a_failure_half_way_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    by = factories.member()
    initiative = factories.initiative(by=by)
    pending = trello.preview_import(initiative=initiative, by=by, upload=upload(small()))
    boards_before = Board.objects.count()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(trello.CardComment.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        trello.import_board(board_import=pending, by=by)
    assert Board.objects.count() == boards_before
    assert not Card.objects.filter(board__trello_id__isnull=False).exists()
    pending.refresh_from_db()
    assert pending.status == "previewed"


def test_only_members_of_the_initiative_bring_boards_in() -> None:
    initiative = factories.initiative()
    outsider = factories.member()
    with pytest.raises(NotAllowed):
        trello.preview_import(initiative=initiative, by=outsider, upload=upload(small()))


def test_a_file_over_the_limit_is_refused(settings: Any) -> None:
    settings.FINGERPOST_NETWORK_IMPORT_MAX_MB = 0
    by = factories.member()
    with pytest.raises(Invalid, match="smaller than 0 MB"):
        trello.preview_import(initiative=factories.initiative(by=by), by=by, upload=upload(small()))


def test_an_exported_board_can_be_brought_in_again_elsewhere() -> None:
    from fingerpost.network.exports import board_json
    from fingerpost.network.queries import board_export

    board, _ = bring_in(small())
    exported = board_json(board, board_export(board))
    assert exported["id"] == board.trello_id
    exported["id"] = "copy-of-" + exported["id"]
    copy, pending = bring_in(json.dumps(exported).encode())
    assert pending.counts["cards"] == 7 and pending.counts["comments"] == 3
    assert pending.counts["checklist_items"] == 4 and pending.counts["items_done"] == 2
    original = [
        (c.list.name, c.position, c.title, c.archived)
        for c in Card.objects.filter(board=board)
        .select_related("list")
        .order_by("list__position", "position")
    ]
    copied = [
        (c.list.name, c.position, c.title, c.archived)
        for c in Card.objects.filter(board=copy)
        .select_related("list")
        .order_by("list__position", "position")
    ]
    assert copied == original


def test_the_preview_counts_the_history(client: Any) -> None:
    by = factories.member()
    initiative = factories.initiative(by=by)
    pending = trello.preview_import(initiative=initiative, by=by, upload=upload(small()))
    client.force_login(by)
    page = client.get(f"/network/initiatives/{initiative.slug}/import/{pending.pk}/")
    assert page.status_code == 200
    assert "Activity history" in page.content.decode() and "10 entries" in page.content.decode()
