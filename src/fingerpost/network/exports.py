"""A board as JSON (in the shape of a Trello export, so it can be imported
again elsewhere or here) and as CSV (one row per card)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from fingerpost.core.spreadsheets import Cell, spreadsheet_response

from .models import Board, Card


def _iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def board_json(board: Board, cards: list[Card]) -> dict[str, Any]:
    lists = list(board.lists.all())
    labels = list(board.labels.all())
    checklists = []
    actions = []
    for card in cards:
        for checklist in card.checklists.all():
            checklists.append(
                {
                    "id": f"checklist-{checklist.pk}",
                    "idCard": f"card-{card.pk}",
                    "name": checklist.name,
                    "pos": checklist.position,
                    "checkItems": [
                        {
                            "id": f"item-{item.pk}",
                            "name": item.text,
                            "pos": item.position,
                            "state": "complete" if item.done else "incomplete",
                        }
                        for item in checklist.items.all()
                    ],
                }
            )
        for comment in card.comments.all():
            name = comment.author.full_name if comment.author else comment.author_name
            actions.append(
                {
                    "id": f"comment-{comment.pk}",
                    "type": "commentCard",
                    "date": _iso(comment.created_at),
                    "memberCreator": {"fullName": name},
                    "data": {
                        "text": comment.body,
                        "card": {"id": f"card-{card.pk}", "name": card.title},
                    },
                }
            )
    people = {user.pk: user for card in cards for user in card.people.all()}
    return {
        "id": board.trello_id or f"fingerpost-board-{board.pk}",
        "name": board.title,
        "desc": board.description,
        "lists": [
            {
                "id": f"list-{item.pk}",
                "name": item.name,
                "closed": item.archived,
                "pos": item.position,
            }
            for item in lists
        ],
        "labels": [
            {"id": f"label-{label.pk}", "name": label.name, "color": label.colour}
            for label in labels
        ],
        "members": [
            {"id": f"member-{user.pk}", "fullName": user.full_name} for user in people.values()
        ],
        "cards": [
            {
                "id": f"card-{card.pk}",
                "name": card.title,
                "desc": card.description,
                "closed": card.archived,
                "idList": f"list-{card.list_id}",
                "pos": card.position,
                "due": _iso(card.due_at),
                "dueComplete": card.due_done,
                "idLabels": [f"label-{label.pk}" for label in card.labels.all()],
                "idMembers": [f"member-{user.pk}" for user in card.people.all()],
                "attachments": [
                    {"name": a.title, "url": a.url} for a in card.attachments.all() if a.url
                ],
            }
            for card in cards
        ],
        "checklists": checklists,
        "actions": actions,
    }


CSV_HEADER = [
    "List",
    "Position",
    "Title",
    "Description",
    "Labels",
    "People",
    "Due",
    "Archived",
    "Checklist done",
    "Checklist items",
    "Comments",
]


def board_csv(board: Board, cards: list[Card]) -> HttpResponse:
    rows: list[list[Cell]] = []
    for card in cards:
        items = [item for checklist in card.checklists.all() for item in checklist.items.all()]
        rows.append(
            [
                card.list.name,
                card.position + 1,
                card.title,
                card.description,
                ", ".join(label.name or label.colour for label in card.labels.all()),
                ", ".join(user.full_name for user in card.people.all()),
                card.due_at.date().isoformat() if card.due_at else "",
                "yes" if card.archived else "no",
                sum(1 for item in items if item.done),
                len(items),
                len(card.comments.all()),
            ]
        )
    return spreadsheet_response("csv", filename=f"board-{board.pk}", header=CSV_HEADER, rows=rows)
