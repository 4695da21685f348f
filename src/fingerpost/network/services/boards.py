"""Shared initiatives and their boards. Every change is made by someone
allowed to edit the board (its initiative's members and organisers), under
the board's row lock so two moves never give two cards one place, and is
written to the board's history (CardEvent)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Max

from fingerpost.accounts.models import User
from fingerpost.core.errors import Conflict, Invalid, NotAllowed
from fingerpost.core.text import visible_lines, visible_text

from .. import search_index
from ..models import (
    Board,
    BoardList,
    Card,
    CardAttachment,
    CardComment,
    CardEvent,
    Checklist,
    ChecklistItem,
    Initiative,
    InitiativeMember,
    Label,
    Resource,
)
from .common import clean_link, unique_slug

STARTING_LISTS = ("To do", "Doing", "Done")


def _must_edit(board: Board | Initiative, by: User) -> None:
    if not by.has_perm("network.edit_board", board):
        raise NotAllowed("Join the initiative to change its board.")


def _lock(board: Board) -> Board:
    return Board.objects.select_for_update().select_related("initiative").get(pk=board.pk)


def _history(
    board: Board, by: User | None, action: str, detail: str = "", card: Card | None = None
) -> None:
    CardEvent.objects.create(board=board, card=card, actor=by, action=action, detail=detail[:500])


def index_card(card: Card) -> None:
    if card.archived:
        search_index.remove("card", card.pk)
        return
    search_index.put(card_entry(card))


def card_entry(card: Card) -> search_index.Entry:
    return search_index.Entry(
        kind="card",
        key=card.pk,
        title=card.title,
        body=card.description,
        url=card.get_absolute_url(),
        updated_at=card.updated_at,
    )


def create_initiative(*, by: User, title: str, description: str = "") -> Initiative:
    title = visible_text(title)
    if not title:
        raise Invalid("Enter a title for the initiative.", field="title")
    with transaction.atomic():
        initiative = Initiative.objects.create(
            title=title[:200],
            slug=unique_slug(Initiative, title),
            description=visible_lines(description),
            created_by=by,
        )
        InitiativeMember.objects.create(initiative=initiative, user=by, is_lead=True)
        board = Board.objects.create(initiative=initiative, title=initiative.title)
        BoardList.objects.bulk_create(
            [BoardList(board=board, name=name, position=n) for n, name in enumerate(STARTING_LISTS)]
        )
        _history(board, by, "created", "Started the initiative and its board")
    return initiative


def update_initiative(
    *, initiative: Initiative, by: User, title: str, description: str
) -> Initiative:
    _must_edit(initiative, by)
    title = visible_text(title)
    if not title:
        raise Invalid("Enter a title for the initiative.", field="title")
    with transaction.atomic():
        initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
        initiative.title = title[:200]
        initiative.description = visible_lines(description)
        initiative.save(update_fields=["title", "description"])
    return initiative


def join_initiative(*, initiative: Initiative, by: User) -> InitiativeMember:
    if not by.has_perm("network.view"):
        raise NotAllowed("Only verified members can join.")
    member, _ = InitiativeMember.objects.get_or_create(initiative=initiative, user=by)
    return member


def leave_initiative(*, initiative: Initiative, by: User) -> None:
    with transaction.atomic():
        mine = (
            InitiativeMember.objects.select_for_update()
            .filter(initiative=initiative, user=by)
            .first()
        )
        if mine is None:
            return
        leads = InitiativeMember.objects.filter(initiative=initiative, is_lead=True).exclude(
            user=by
        )
        if mine.is_lead and not leads.exists():
            raise Conflict("You lead this initiative: make someone else a lead before you leave.")
        mine.delete()


def create_board(*, initiative: Initiative, by: User, title: str) -> Board:
    _must_edit(initiative, by)
    title = visible_text(title)
    if not title:
        raise Invalid("Enter a title for the board.", field="title")
    with transaction.atomic():
        board = Board.objects.create(initiative=initiative, title=title[:200])
        BoardList.objects.bulk_create(
            [BoardList(board=board, name=name, position=n) for n, name in enumerate(STARTING_LISTS)]
        )
        _history(board, by, "created", f"Made the board “{board.title}”")
    return board


def add_list(*, board: Board, by: User, name: str) -> BoardList:
    _must_edit(board, by)
    name = visible_text(name)
    if not name:
        raise Invalid("Enter a name for the list.", field="name")
    with transaction.atomic():
        board = _lock(board)
        last = board.lists.aggregate(n=Max("position"))["n"]
        board_list = BoardList.objects.create(
            board=board, name=name[:200], position=(last or 0) + 1
        )
        _history(board, by, "list_added", f"Added the list “{board_list.name}”")
    return board_list


def _clean_title(title: str) -> str:
    title = visible_text(title)
    if not title:
        raise Invalid("Enter a title for the card.", field="title")
    return title[:500]


def add_card(
    *,
    board: Board,
    by: User,
    board_list: BoardList,
    title: str,
    description: str = "",
    due_at: datetime | None = None,
) -> Card:
    _must_edit(board, by)
    title = _clean_title(title)
    if board_list.board_id != board.pk:
        raise Invalid("Choose a list on this board.", field="list")
    with transaction.atomic():
        board = _lock(board)
        last = Card.objects.filter(list=board_list, archived=False).aggregate(n=Max("position"))[
            "n"
        ]
        card = Card.objects.create(
            board=board,
            list=board_list,
            title=title,
            description=visible_lines(description),
            due_at=due_at,
            position=0 if last is None else last + 1,
            created_by=by,
        )
        _history(board, by, "card_added", f"Added “{card.title}” to {board_list.name}", card)
        index_card(card)
    return card


def update_card(
    *,
    card: Card,
    by: User,
    title: str,
    description: str,
    due_at: datetime | None,
    labels: Iterable[Label] = (),
    people: Iterable[User] = (),
    due_done: bool = False,
) -> Card:
    _must_edit(card.board, by)
    title = _clean_title(title)
    labels = list(labels)
    people = list(people)
    if any(label.board_id != card.board_id for label in labels):
        raise Invalid("Choose labels of this board.", field="labels")
    with transaction.atomic():
        board = _lock(card.board)
        card = Card.objects.select_for_update().get(pk=card.pk)
        card.title = title
        card.description = visible_lines(description)
        card.due_at = due_at
        card.due_done = due_done
        card.save()
        card.labels.set(labels)
        card.people.set(people)
        _history(board, by, "card_changed", f"Changed “{card.title}”", card)
        index_card(card)
    return card


def _renumber(cards: list[Card]) -> None:
    changed = []
    for position, card in enumerate(cards):
        if card.position != position:
            card.position = position
            changed.append(card)
    Card.objects.bulk_update(changed, ["position", "list"], batch_size=500)


def move_card(*, card: Card, by: User, to_list: BoardList, position: int | None = None) -> Card:
    """Move a card to `to_list` at `position` (1 is the top; None: the bottom)."""
    _must_edit(card.board, by)
    if to_list.board_id != card.board_id or to_list.archived:
        raise Invalid("Choose a list on this board.", field="list")
    if position is not None and position < 1:
        raise Invalid("The position must be 1 or more.", field="position")
    with transaction.atomic():
        board = _lock(card.board)
        card = Card.objects.select_related("list").get(pk=card.pk)
        if card.archived:
            raise Conflict("This card is archived: restore it before moving it.")
        from_list = card.list
        others = list(
            Card.objects.filter(list=to_list, archived=False)
            .exclude(pk=card.pk)
            .order_by("position", "pk")
        )
        index = len(others) if position is None else min(position - 1, len(others))
        card.list = to_list
        others.insert(index, card)
        card.position = -1  # always saved by _renumber
        _renumber(others)
        if from_list.pk != to_list.pk:
            _renumber(
                list(Card.objects.filter(list=from_list, archived=False).order_by("position", "pk"))
            )
            detail = f"Moved “{card.title}” from {from_list.name} to {to_list.name}"
        else:
            detail = f"Moved “{card.title}” to place {index + 1} in {to_list.name}"
        _history(board, by, "card_moved", detail, card)
    return card


def set_archived(*, card: Card, by: User, archived: bool) -> Card:
    _must_edit(card.board, by)
    with transaction.atomic():
        board = _lock(card.board)
        card = Card.objects.select_for_update().select_related("list").get(pk=card.pk)
        if card.archived == archived:
            return card
        card.archived = archived
        if not archived:
            last = Card.objects.filter(list=card.list, archived=False).aggregate(n=Max("position"))[
                "n"
            ]
            card.position = 0 if last is None else last + 1
        card.save(update_fields=["archived", "position", "updated_at"])
        if archived:
            _renumber(
                list(Card.objects.filter(list=card.list, archived=False).order_by("position", "pk"))
            )
        _history(
            board,
            by,
            "card_archived" if archived else "card_restored",
            f"{'Archived' if archived else 'Restored'} “{card.title}”",
            card,
        )
        index_card(card)
    return card


def add_comment(*, card: Card, by: User, body: str) -> CardComment:
    _must_edit(card.board, by)
    body = visible_lines(body)
    if not body:
        raise Invalid("Enter a comment.", field="body")
    from django.utils import timezone

    with transaction.atomic():
        comment = CardComment.objects.create(
            card=card,
            author=by,
            author_name=by.full_name,
            body=body[:10_000],
            created_at=timezone.now(),
        )
        _history(card.board, by, "commented", f"Commented on “{card.title}”", card)
    return comment


def add_checklist_item(
    *, card: Card, by: User, text: str, checklist_name: str = "Checklist"
) -> ChecklistItem:
    _must_edit(card.board, by)
    text = visible_text(text)
    if not text:
        raise Invalid("Enter the item.", field="text")
    with transaction.atomic():
        checklist = card.checklists.first() or Checklist.objects.create(
            card=card, name=visible_text(checklist_name) or "Checklist"
        )
        last = checklist.items.aggregate(n=Max("position"))["n"]
        item = ChecklistItem.objects.create(
            checklist=checklist, text=text[:1000], position=0 if last is None else last + 1
        )
        _history(
            card.board,
            by,
            "checklist",
            f"Added “{item.text}” to the checklist of “{card.title}”",
            card,
        )
    return item


def set_item_done(*, item: ChecklistItem, by: User, done: bool) -> ChecklistItem:
    card = item.checklist.card
    _must_edit(card.board, by)
    with transaction.atomic():
        ChecklistItem.objects.filter(pk=item.pk).update(done=done)
        item.done = done
        _history(
            card.board,
            by,
            "checklist",
            f"{'Ticked' if done else 'Unticked'} “{item.text}” on “{card.title}”",
            card,
        )
    return item


def attach(
    *, card: Card, by: User, resource: Resource | None = None, title: str = "", url: str = ""
) -> CardAttachment:
    """A link on the card: to a resource in the library, or to a web address."""
    _must_edit(card.board, by)
    url = clean_link(url)
    if resource is None and not url:
        raise Invalid("Choose a resource or enter a link.", field="url")
    title = visible_text(title) or (resource.title if resource else url)
    with transaction.atomic():
        attachment = CardAttachment.objects.create(
            card=card, resource=resource, title=title[:300], url=url
        )
        _history(
            card.board, by, "attached", f"Attached “{attachment.title}” to “{card.title}”", card
        )
    return attachment
