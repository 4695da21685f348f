"""Boards in the shape Trello's "Export as JSON" writes them: the board's own
fields, then `actions` (newest first, each with `data`, `memberCreator`),
`cards`, `labels`, `lists`, `members` and `checklists`, with 24-digit hex
ids and `pos` numbers that Trello spaces by 16384 (and halves when a card
is put between two others). `small_board()` is also saved as
fixtures/trello_small.json; `large_board()` is built when the tests need it
(over 1,000 actions), so no large generated file is kept."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
_ids = itertools.count(1)
START = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def trello_id(prefix: str = "5f") -> str:
    return f"{prefix}{next(_ids):022x}"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def member(full_name: str, username: str) -> dict[str, Any]:
    return {
        "id": trello_id("60"),
        "activityBlocked": False,
        "avatarHash": None,
        "avatarUrl": None,
        "bio": "",
        "fullName": full_name,
        "initials": "".join(part[0] for part in full_name.split()),
        "memberType": "normal",
        "confirmed": True,
        "username": username,
        "nonPublic": {},
    }


def build(
    *,
    name: str,
    lists: list[tuple[str, bool]],
    cards: list[dict[str, Any]],
    people: list[tuple[str, str]],
    extra_actions: int = 0,
) -> dict[str, Any]:
    """A board export. Each card dict: list (index), name, and optionally
    desc, closed, labels (indexes), members (indexes), due, checklist
    [(name, done)], comments [(person index, text)], attachments [(name, url)]."""
    global _ids
    _ids = itertools.count(1)
    board_id = trello_id("65")
    members = [member(full, user) for full, user in people]
    label_colours = [
        ("green", "Quick win"),
        ("red", "Blocked"),
        ("blue", "Communications"),
        ("purple", ""),
    ]
    labels = [
        {"id": trello_id("66"), "idBoard": board_id, "name": label_name, "color": colour, "uses": 0}
        for colour, label_name in label_colours
    ]
    list_records = [
        {
            "id": trello_id("67"),
            "name": list_name,
            "closed": closed,
            "idBoard": board_id,
            "pos": 16384 * (n + 1),
            "subscribed": False,
            "softLimit": None,
        }
        for n, (list_name, closed) in enumerate(lists)
    ]
    card_records: list[dict[str, Any]] = []
    checklists: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    moment = START
    positions: dict[int, float] = {}

    def creator(index: int) -> dict[str, Any]:
        person = members[index]
        return {
            "id": person["id"],
            "fullName": person["fullName"],
            "username": person["username"],
            "initials": person["initials"],
            "avatarHash": None,
            "activityBlocked": False,
        }

    for number, spec in enumerate(cards, 1):
        list_index = spec["list"]
        positions[list_index] = positions.get(list_index, 0) + 16384
        card_id = trello_id("68")
        short_link = f"c{number:07d}"
        checklist_ids = []
        if spec.get("checklist"):
            checklist_id = trello_id("69")
            checklist_ids.append(checklist_id)
            checklists.append(
                {
                    "id": checklist_id,
                    "name": spec.get("checklist_name", "Checklist"),
                    "idBoard": board_id,
                    "idCard": card_id,
                    "pos": 16384 * number,
                    "checkItems": [
                        {
                            "id": trello_id("6a"),
                            "name": item,
                            "nameData": {"emoji": {}},
                            "pos": 16384 * (i + 1),
                            "state": "complete" if done else "incomplete",
                            "due": None,
                            "idMember": None,
                            "idChecklist": checklist_id,
                        }
                        for i, (item, done) in enumerate(spec["checklist"])
                    ],
                }
            )
        moment += timedelta(minutes=7)
        card = {
            "id": card_id,
            "badges": {},
            "checkItemStates": [],
            "closed": spec.get("closed", False),
            "dueComplete": spec.get("due_complete", False),
            "dateLastActivity": stamp(moment),
            "desc": spec.get("desc", ""),
            "descData": {"emoji": {}},
            "due": spec.get("due"),
            "dueReminder": None,
            "email": None,
            "idBoard": board_id,
            "idChecklists": checklist_ids,
            "idList": list_records[list_index]["id"],
            "idMembers": [members[i]["id"] for i in spec.get("members", [])],
            "idMembersVoted": [],
            "idShort": number,
            "idAttachmentCover": None,
            "idLabels": [labels[i]["id"] for i in spec.get("labels", [])],
            "manualCoverAttachment": False,
            "name": spec["name"],
            "pos": spec.get("pos", positions[list_index]),
            "shortLink": short_link,
            "shortUrl": f"https://trello.com/c/{short_link}",
            "start": None,
            "subscribed": False,
            "url": f"https://trello.com/c/{short_link}/{number}",
            "cover": {"color": None, "size": "normal"},
            "attachments": [
                {
                    "id": trello_id("6b"),
                    "bytes": None,
                    "date": stamp(moment),
                    "edgeColor": None,
                    "idMember": members[0]["id"],
                    "isUpload": url.startswith("https://trello.com/"),
                    "mimeType": "",
                    "name": att_name,
                    "previews": [],
                    "url": url,
                    "pos": 16384,
                }
                for att_name, url in spec.get("attachments", [])
            ],
            "labels": [labels[i] for i in spec.get("labels", [])],
        }
        card_records.append(card)
        card_ref = {"id": card_id, "name": spec["name"], "idShort": number, "shortLink": short_link}
        actions.append(
            {
                "id": trello_id("6c"),
                "idMemberCreator": members[0]["id"],
                "type": "createCard",
                "date": stamp(moment),
                "data": {
                    "card": card_ref,
                    "list": {"id": card["idList"], "name": list_records[list_index]["name"]},
                    "board": {"id": board_id, "name": name},
                },
                "memberCreator": creator(0),
                "limits": {},
            }
        )
        for person, text in spec.get("comments", []):
            moment += timedelta(minutes=3)
            actions.append(
                {
                    "id": trello_id("6d"),
                    "idMemberCreator": members[person]["id"],
                    "type": "commentCard",
                    "date": stamp(moment),
                    "data": {
                        "text": text,
                        "textData": {"emoji": {}},
                        "card": card_ref,
                        "board": {"id": board_id, "name": name},
                        "list": {"id": card["idList"]},
                    },
                    "memberCreator": creator(person),
                    "limits": {"reactions": {}},
                }
            )
    kinds = ["moveCard", "updateCheckItemStateOnCard", "addMemberToCard", "updateCard", "closeCard"]
    for n in range(extra_actions):
        moment += timedelta(minutes=1)
        card = card_records[n % len(card_records)]
        card_ref = {"id": card["id"], "name": card["name"], "idShort": card["idShort"]}
        kind = kinds[n % len(kinds)]
        data: dict[str, Any] = {"card": card_ref, "board": {"id": board_id, "name": name}}
        if kind == "moveCard":
            before = list_records[(n // 5) % len(list_records)]
            after = list_records[(n // 5 + 1) % len(list_records)]
            kind = "updateCard"
            data["card"] = {**card_ref, "idList": after["id"]}
            data["old"] = {"idList": before["id"]}
            data["listBefore"] = {"id": before["id"], "name": before["name"]}
            data["listAfter"] = {"id": after["id"], "name": after["name"]}
        elif kind == "closeCard":
            kind = "updateCard"
            data["card"] = {**card_ref, "closed": True}
            data["old"] = {"closed": False}
        elif kind == "updateCard":
            data["card"] = {**card_ref, "desc": card["desc"]}
            data["old"] = {"desc": ""}
        elif kind == "updateCheckItemStateOnCard":
            data["checkItem"] = {"id": trello_id("6a"), "name": "Step 1", "state": "complete"}
            data["checklist"] = {"id": trello_id("69"), "name": "Checklist"}
        else:
            person = members[(n + 1) % len(members)]
            data["member"] = {"id": person["id"], "name": person["fullName"]}
            data["idMember"] = person["id"]
        actions.append(
            {
                "id": trello_id("6e"),
                "idMemberCreator": members[n % len(members)]["id"],
                "type": kind,
                "date": stamp(moment),
                "data": data,
                "memberCreator": creator(n % len(members)),
                "limits": {},
            }
        )
    actions.reverse()  # Trello lists the newest first
    return {
        "id": board_id,
        "name": name,
        "desc": "Planning the partnership's shared work.",
        "descData": None,
        "closed": False,
        "idOrganization": trello_id("64"),
        "pinned": False,
        "url": f"https://trello.com/b/{board_id[-8:]}/{name.lower().replace(' ', '-')}",
        "shortUrl": f"https://trello.com/b/{board_id[-8:]}",
        "prefs": {"permissionLevel": "org", "background": "blue"},
        "labelNames": {colour: label_name for colour, label_name in label_colours},
        "dateLastActivity": stamp(moment),
        "actions": actions,
        "cards": card_records,
        "labels": labels,
        "lists": list_records,
        "members": members,
        "checklists": checklists,
        "customFields": [],
        "pluginData": [],
    }


PEOPLE = [("Jane Smith", "janesmith"), ("Sam Patel", "sampatel4"), ("Alex Jones", "alexj")]


def small_board() -> dict[str, Any]:
    return build(
        name="Digital inclusion week",
        lists=[("To do", False), ("Doing", False), ("Done", False), ("Old ideas", True)],
        people=PEOPLE,
        cards=[
            {
                "list": 0,
                "name": "Book the library venues",
                "desc": "Weymouth, Dorchester and Bridport.",
                "labels": [0],
                "members": [0],
                "due": "2024-04-12T16:00:00.000Z",
                "checklist": [("Weymouth", True), ("Dorchester", True), ("Bridport", False)],
                "comments": [(1, "Dorchester is confirmed for the Tuesday."), (0, "Thanks Sam!")],
            },
            {"list": 0, "name": "Recruit volunteers", "labels": [2, 0], "members": [1, 2]},
            {"list": 0, "name": "Print the posters", "pos": 8192},  # put at the top by hand
            {
                "list": 1,
                "name": "Write the press release",
                "labels": [2],
                "attachments": [
                    ("Draft", "https://docs.example.org/press-release"),
                    (
                        "logo.png",
                        "https://trello.com/1/cards/abc/attachments/def/download/logo.png",
                    ),
                ],
            },
            {
                "list": 2,
                "name": "Agree the dates",
                "due": "2024-03-01T12:00:00.000Z",
                "due_complete": True,
            },
            {
                "list": 2,
                "name": "Cancelled street stall",
                "closed": True,
                "comments": [(2, "Not this year.")],
            },
            {
                "list": 3,
                "name": "Radio advert",
                "labels": [1],
                "checklist": [("Get a quote", False)],
            },
        ],
    )


def large_board(cards: int = 300, extra_actions: int = 1200) -> dict[str, Any]:
    specs = []
    for n in range(cards):
        spec: dict[str, Any] = {
            "list": n % 5,
            "name": f"Task {n + 1}",
            "desc": f"Details of task {n + 1}.",
        }
        if n % 7 == 0:
            spec["closed"] = True
        if n % 3 == 0:
            spec["checklist"] = [(f"Step {i + 1}", (n + i) % 2 == 0) for i in range(4)]
        if n % 4 == 0:
            spec["labels"] = [n % 4, (n + 1) % 4]
        if n % 5 == 0:
            spec["comments"] = [(n % 3, f"Comment on task {n + 1}")]
        specs.append(spec)
    return build(
        name="County digital programme",
        lists=[
            ("Backlog", False),
            ("This month", False),
            ("Doing", False),
            ("Review", False),
            ("Done", False),
            ("Parked", True),
        ],
        people=PEOPLE,
        cards=specs,
        extra_actions=extra_actions,
    )


def as_bytes(board: dict[str, Any]) -> bytes:
    return json.dumps(board, indent=2).encode()


if __name__ == "__main__":
    (FIXTURES / "trello_small.json").write_bytes(as_bytes(small_board()) + b"\n")
