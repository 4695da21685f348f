"""Many people moving cards on one board at once, and the same board
imported twice at once, on PostgreSQL with real connections: no two cards
share a place in a list, nothing is lost, and the board comes in once."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection

from fingerpost.core.errors import Conflict
from fingerpost.network.models import Board, Card
from fingerpost.network.services import boards, trello

from . import factories
from .trello_exports import FIXTURES

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
)


def run_in_threads(count: int, target: Callable[[int], None]) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def worker(n: int) -> None:
        try:
            barrier.wait()
            target(n)
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_cards_moved_at_once_keep_distinct_places() -> None:
    lead = factories.member()
    board = factories.board_of(factories.initiative(by=lead))
    todo, doing, _done = board.lists.order_by("position")
    cards = [factories.card(board, lead, f"Card {n}") for n in range(8)]

    def move(n: int) -> None:
        boards.move_card(
            card=Card.objects.get(pk=cards[n].pk),
            by=lead,
            to_list=doing if n % 2 else todo,
            position=1,
        )

    assert run_in_threads(8, move) == []
    for board_list in (todo, doing):
        positions = list(
            Card.objects.filter(list=board_list)
            .order_by("position")
            .values_list("position", flat=True)
        )
        assert positions == list(range(len(positions)))
    assert Card.objects.filter(board=board).count() == 8


@pytest.mark.django_db(transaction=True)
def test_the_same_board_imported_twice_at_once_comes_in_once() -> None:
    lead = factories.member()
    initiative = factories.initiative(by=lead)
    content = (FIXTURES / "trello_small.json").read_bytes()
    previews = [
        trello.preview_import(
            initiative=initiative, by=lead, upload=SimpleUploadedFile("b.json", content)
        )
        for _ in range(4)
    ]

    def bring_in(n: int) -> None:
        trello.import_board(board_import=previews[n], by=lead)

    errors = run_in_threads(4, bring_in)
    assert len(errors) == 3 and all(isinstance(e, Conflict) for e in errors), errors
    assert Board.objects.exclude(trello_id=None).count() == 1
    assert Card.objects.filter(board__trello_id__isnull=False).count() == 7
