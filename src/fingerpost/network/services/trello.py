"""Bringing in a board exported as JSON from Trello (Board menu → Print,
export and share → Export as JSON), all or nothing.

`read_export` checks the whole file and turns it into a plan (or refuses
with a message naming what is wrong and where); `preview_import` keeps the
file with its counts for the person to check; `import_board` writes the
plan in one transaction. A board is imported once: its Trello id is kept
on the board, unique."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from fingerpost.accounts.models import User
from fingerpost.core.errors import Conflict, Invalid, NotAllowed

from .. import search_index
from ..models import (
    Board,
    BoardImport,
    BoardList,
    Card,
    CardAttachment,
    CardComment,
    CardEvent,
    Checklist,
    ChecklistItem,
    Initiative,
    Label,
)
from ..models.boards import ImportStatus
from .boards import card_entry

NOT_A_BOARD = "The file is not a board exported from Trello as JSON"


@dataclass
class Person:
    trello_id: str
    name: str
    username: str = ""
    email: str = ""


@dataclass
class Plan:
    """Everything a board export holds that Fingerpost keeps, checked."""

    board_id: str
    name: str
    description: str
    lists: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)
    checklists: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    # The board's activity history (Trello's `actions`), oldest first.
    history: list[dict[str, Any]] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    not_brought_in: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "lists": len(self.lists),
            "archived_lists": sum(1 for item in self.lists if item["closed"]),
            "cards": len(self.cards),
            "archived_cards": sum(1 for card in self.cards if card["closed"]),
            "labels": len(self.labels),
            "checklists": len(self.checklists),
            "checklist_items": sum(len(c["items"]) for c in self.checklists),
            "items_done": sum(1 for c in self.checklists for i in c["items"] if i["done"]),
            "comments": len(self.comments),
            "history": len(self.history),
            "attachments": sum(len(card["attachments"]) for card in self.cards),
            "people": len(self.people),
        }


def _fail(detail: str) -> Invalid:
    return Invalid(f"{NOT_A_BOARD}: {detail}.", field="file")


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and key in ("id",) and not value):
        raise _fail(
            f"{where} has no “{key}”" if value is None else f"the “{key}” of {where} is not text"
        )
    return value


def _position(item: dict[str, Any], where: str) -> float:
    value = item.get("pos", 0)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        # Trello writes "top"/"bottom" only in requests, never in exports.
        raise _fail(f"the “pos” of {where} is not a number")
    return float(value)


def _items(data: dict[str, Any], key: str, *, required: bool = False) -> list[dict[str, Any]]:
    value = data.get(key)
    if value is None:
        if required:
            raise _fail(f"it has no “{key}”")
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _fail(f"“{key}” is not a list of records")
    return value


def _when(value: Any, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise _fail(f"the date of {where} is not a date")
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, UTC)


# What Trello's changed fields are called here.
FIELD_NAMES = {
    "name": "title",
    "desc": "description",
    "due": "due date",
    "dueComplete": "due date's state",
    "pos": "position",
    "idLabels": "labels",
    "idMembers": "people",
    "start": "start date",
    "cover": "cover",
}


def _name_of(value: Any) -> str:
    return str(value.get("name") or "") if isinstance(value, dict) else ""


def describe(
    kind: str, details: dict[str, Any], card: str, lists: dict[str, str]
) -> tuple[str, str]:
    """One entry of Trello's activity history in the board's own words:
    (the action, as the board's history names it, and a sentence)."""
    quoted = f"“{card}”" if card else "a card"
    old = details.get("old") if isinstance(details.get("old"), dict) else {}
    assert isinstance(old, dict)
    if kind == "createCard":
        where = _name_of(details.get("list"))
        return "created", f"Added {quoted}" + (f" to {where}" if where else "")
    if kind == "commentCard":
        return "commented", f"Commented on {quoted}"
    if kind == "copyCard":
        return "created", f"Copied {quoted}"
    if kind == "deleteCard":
        return "deleted", f"Deleted {quoted}"
    if kind == "updateCard":
        before, after = details.get("listBefore"), details.get("listAfter")
        if isinstance(before, dict) or isinstance(after, dict) or "idList" in old:
            names = [
                _name_of(side) or lists.get(str(ident or ""), "another list")
                for side, ident in (
                    (before, old.get("idList")),
                    (after, (details.get("card") or {}).get("idList")),
                )
            ]
            return "moved", f"Moved {quoted} from {names[0]} to {names[1]}"
        if "closed" in old:
            closed = bool((details.get("card") or {}).get("closed", not old["closed"]))
            return (
                ("archived", f"Archived {quoted}")
                if closed
                else (
                    "restored",
                    f"Brought {quoted} back from the archive",
                )
            )
        changed = [FIELD_NAMES.get(str(key), str(key)) for key in old] or ["details"]
        return "updated", f"Changed the {', '.join(changed)} of {quoted}"
    if kind == "updateCheckItemStateOnCard":
        item = details.get("checkItem") if isinstance(details.get("checkItem"), dict) else {}
        assert isinstance(item, dict)
        state = "done" if item.get("state") == "complete" else "not done"
        return "checked", f"Marked “{_name_of(item) or 'an item'}” {state} on {quoted}"
    if kind in ("addMemberToCard", "removeMemberFromCard"):
        who = _name_of(details.get("member")) or "someone"
        if kind == "addMemberToCard":
            return "people", f"Added {who} to {quoted}"
        return "people", f"Took {who} off {quoted}"
    if kind in ("addLabelToCard", "removeLabelFromCard"):
        label = _name_of(details.get("label")) or "a label"
        verb = "Added the label" if kind == "addLabelToCard" else "Took the label"
        return "labels", f"{verb} “{label}” {'to' if kind == 'addLabelToCard' else 'off'} {quoted}"
    if kind == "addChecklistToCard":
        return "updated", f"Added the checklist “{_name_of(details.get('checklist'))}” to {quoted}"
    if kind == "addAttachmentToCard":
        return "updated", f"Attached “{_name_of(details.get('attachment'))}” to {quoted}"
    if kind == "createList":
        return "list", f"Added the list {_name_of(details.get('list'))}"
    if kind == "updateList":
        return "list", f"Changed the list {_name_of(details.get('list'))}"
    if kind == "createBoard":
        return "created", "Created the board"
    # Anything else Trello records, in its own words ("addToOrganizationBoard").
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in kind).strip()
    return "trello", f"{words.capitalize()}" + (f" ({quoted})" if card else "")


def read_export(raw: bytes) -> Plan:
    """Check a whole export and plan what to bring in; Invalid on the first problem."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _fail("it is not text in UTF-8") from None
    except json.JSONDecodeError as error:
        raise _fail(f"it is not valid JSON (line {error.lineno}, column {error.colno})") from None
    if not isinstance(data, dict):
        raise _fail("it does not hold a board")
    board_id = _text(data, "id", "the board")
    if not board_id:
        raise _fail("the board has no “id”")
    plan = Plan(
        board_id=board_id[:64],
        name=(_text(data, "name", "the board") or "Imported board")[:200],
        description=_text(data, "desc", "the board", required=False),
    )

    for member in _items(data, "members"):
        member_id = _text(member, "id", "a member")
        plan.people[member_id] = Person(
            trello_id=member_id,
            name=_text(member, "fullName", "a member", required=False),
            username=_text(member, "username", "a member", required=False),
            email=(member.get("email") or "") if isinstance(member.get("email"), str) else "",
        )

    list_ids: set[str] = set()
    for number, item in enumerate(_items(data, "lists", required=True), 1):
        where = f"list {number}"
        list_id = _text(item, "id", where)
        if list_id in list_ids:
            raise _fail(f"{where} has the same id as another list")
        list_ids.add(list_id)
        plan.lists.append(
            {
                "id": list_id,
                "name": (_text(item, "name", where) or "Untitled list")[:200],
                "closed": bool(item.get("closed", False)),
                "pos": _position(item, where),
            }
        )
    plan.lists.sort(key=lambda item: item["pos"])

    label_ids: set[str] = set()
    for number, item in enumerate(_items(data, "labels"), 1):
        where = f"label {number}"
        label_id = _text(item, "id", where)
        label_ids.add(label_id)
        plan.labels.append(
            {
                "id": label_id,
                "name": _text(item, "name", where, required=False)[:100],
                "color": _text(item, "color", where, required=False)[:20],
            }
        )

    card_ids: set[str] = set()
    dropped_labels = 0
    for number, item in enumerate(_items(data, "cards", required=True), 1):
        card_id = _text(item, "id", f"card {number}")
        where = f"card {number} (“{str(item.get('name', ''))[:60]}”)"
        if card_id in card_ids:
            raise _fail(f"{where} has the same id as another card")
        card_ids.add(card_id)
        list_id = _text(item, "idList", where)
        if list_id not in list_ids:
            raise _fail(f"{where} is on a list that is not in the file")
        labels = item.get("idLabels") or []
        members = item.get("idMembers") or []
        if not isinstance(labels, list) or not isinstance(members, list):
            raise _fail(f"the labels or members of {where} are not lists")
        known_labels = [label for label in labels if label in label_ids]
        dropped_labels += len(labels) - len(known_labels)
        attachments = []
        for attachment in item.get("attachments") or []:
            if isinstance(attachment, dict) and isinstance(attachment.get("url"), str):
                attachments.append(
                    {
                        "name": str(attachment.get("name") or attachment["url"])[:300],
                        "url": attachment["url"][:1000],
                        "upload": bool(attachment.get("isUpload")),
                    }
                )
        plan.cards.append(
            {
                "id": card_id,
                "name": (_text(item, "name", where) or "Untitled card")[:500],
                "desc": _text(item, "desc", where, required=False),
                "closed": bool(item.get("closed", False)),
                "list": list_id,
                "pos": _position(item, where),
                "due": _when(item.get("due"), where),
                "due_done": bool(item.get("dueComplete", False)),
                "labels": known_labels,
                "members": [m for m in members if isinstance(m, str)],
                "attachments": attachments,
            }
        )
    plan.cards.sort(key=lambda card: (card["list"], card["pos"]))
    if dropped_labels:
        plan.not_brought_in.append(
            f"{dropped_labels} labels on cards that the file does not describe"
        )

    dropped_checklists = 0
    for number, item in enumerate(_items(data, "checklists"), 1):
        where = f"checklist {number}"
        if _text(item, "idCard", where) not in card_ids:
            dropped_checklists += 1
            continue
        items = []
        for entry_number, entry in enumerate(_items(item, "checkItems"), 1):
            entry_where = f"item {entry_number} of {where}"
            state = entry.get("state", "incomplete")
            if state not in ("complete", "incomplete"):
                raise _fail(f"the state of {entry_where} is neither complete nor incomplete")
            items.append(
                {
                    "name": (_text(entry, "name", entry_where) or "Item")[:1000],
                    "done": state == "complete",
                    "pos": _position(entry, entry_where),
                }
            )
        items.sort(key=lambda entry: entry["pos"])
        plan.checklists.append(
            {
                "card": item["idCard"],
                "name": (_text(item, "name", where, required=False) or "Checklist")[:200],
                "pos": _position(item, where),
                "items": items,
            }
        )
    if dropped_checklists:
        plan.not_brought_in.append(f"{dropped_checklists} checklists on cards not in the file")

    dropped_comments = 0
    unreadable = 0
    card_names = {card["id"]: card["name"] for card in plan.cards}
    list_names = {item["id"]: item["name"] for item in plan.lists}
    for number, action in enumerate(_items(data, "actions"), 1):
        kind = action.get("type")
        details = action.get("data")
        if kind != "commentCard" and (not isinstance(kind, str) or not isinstance(details, dict)):
            unreadable += 1
            continue
        where = f"comment {number}" if kind == "commentCard" else f"action {number}"
        card = details.get("card") if isinstance(details, dict) else None
        if kind == "commentCard" and (not isinstance(details, dict) or not isinstance(card, dict)):
            raise _fail(f"{where} does not say which card it is on")
        assert isinstance(details, dict)
        creator: dict[str, Any] = (
            action["memberCreator"] if isinstance(action.get("memberCreator"), dict) else {}
        )
        member_id = str(action.get("idMemberCreator") or creator.get("id") or "")
        if member_id and member_id not in plan.people and creator:
            plan.people[member_id] = Person(
                trello_id=member_id,
                name=str(creator.get("fullName") or ""),
                username=str(creator.get("username") or ""),
            )
        known = plan.people.get(member_id)
        name = str(
            creator.get("fullName")
            or (known.name if known else "")
            or creator.get("username")
            or (known.username if known else "")
            or "Someone"
        )[:200]
        date = _when(action.get("date"), where) or timezone.now()
        action_card = card.get("id") if isinstance(card, dict) else None
        on_card = action_card if action_card in card_ids else None
        if kind == "commentCard":
            if on_card is None:
                dropped_comments += 1
                continue
            plan.comments.append(
                {
                    "card": action_card,
                    "text": str(details.get("text") or "")[:10_000],
                    "date": date,
                    "member": member_id,
                    "name": name,
                }
            )
        card_name = card_names.get(str(action_card)) or (
            str(card.get("name") or "") if isinstance(card, dict) else ""
        )
        verb, detail = describe(kind, details, card_name[:200], list_names)
        plan.history.append(
            {
                "card": on_card,
                "action": verb,
                "detail": detail[:500],
                "date": date,
                "member": member_id,
                "name": name,
            }
        )
    plan.history.sort(key=lambda entry: entry["date"])
    if dropped_comments:
        plan.not_brought_in.append(f"{dropped_comments} comments on cards not in the file")
    if unreadable:
        plan.not_brought_in.append(
            f"{unreadable} entries of the board's activity history that could not be read"
        )
    uploads = sum(1 for card in plan.cards for a in card["attachments"] if a["upload"])
    if uploads:
        plan.not_brought_in.append(
            f"{uploads} files uploaded to Trello: the cards link to them there, they are not copied"
        )
    for key, what in (("customFields", "custom fields"), ("pluginData", "Power-Up data")):
        if data.get(key):
            plan.not_brought_in.append(f"the board's {what}")
    return plan


def match_people(people: dict[str, Person]) -> dict[str, User]:
    """Trello members to verified members here: by email, else by a full name
    that only one member has."""
    from fingerpost.accounts.roles import Role
    from fingerpost.organisations.queries import people_with_role

    emails = {p.email.lower() for p in people.values() if p.email}
    names = {p.name.lower() for p in people.values() if p.name}
    if not emails and not names:
        return {}
    candidates = (
        people_with_role(Role.MEMBER)
        .annotate(lower_name=Lower("full_name"))
        .filter(Q(email__in=emails) | Q(lower_name__in=names))
    )
    by_email: dict[str, User] = {u.email.lower(): u for u in candidates}
    by_name: dict[str, list[User]] = defaultdict(list)
    for candidate in candidates:
        by_name[candidate.full_name.lower()].append(candidate)
    matched: dict[str, User] = {}
    for person in people.values():
        user = by_email.get(person.email.lower()) if person.email else None
        if user is None and person.name and len(by_name.get(person.name.lower(), [])) == 1:
            user = by_name[person.name.lower()][0]
        if user is not None:
            matched[person.trello_id] = user
    return matched


def _must_import(initiative: Initiative, by: User) -> None:
    if not by.has_perm("network.edit_board", initiative):
        raise NotAllowed("Join the initiative to bring a board into it.")


def max_import_bytes() -> int:
    return int(settings.FINGERPOST_NETWORK_IMPORT_MAX_MB) * 1024 * 1024


def preview_import(*, initiative: Initiative, by: User, upload: UploadedFile) -> BoardImport:
    """Check the file and keep it with its counts until the person confirms."""
    _must_import(initiative, by)
    if upload.size and upload.size > max_import_bytes():
        raise Invalid(
            f"The file must be smaller than {settings.FINGERPOST_NETWORK_IMPORT_MAX_MB} MB.",
            field="file",
        )
    raw = upload.read()
    if not raw:
        raise Invalid("The file is empty.", field="file")
    plan = read_export(raw)
    matched = match_people(plan.people)
    counts = plan.counts()
    counts["people_matched"] = len(matched)
    existing = Board.objects.filter(trello_id=plan.board_id).first()
    return BoardImport.objects.create(
        initiative=initiative,
        uploaded_by=by,
        filename=(upload.name or "board.json")[:200],
        data=json.loads(raw.decode("utf-8-sig")),
        sha256=hashlib.sha256(raw).hexdigest(),
        counts=counts,
        board=existing,
        report=plan.not_brought_in
        + [
            f"{person.name or person.username}: not a member here, so shown by name only"
            for key, person in plan.people.items()
            if key not in matched
        ],
    )


def import_board(*, board_import: BoardImport, by: User) -> Board:
    """Write the previewed board, all or nothing."""
    _must_import(board_import.initiative, by)
    with transaction.atomic():
        locked = (
            BoardImport.objects.select_for_update()
            .select_related("initiative")
            .get(pk=board_import.pk)
        )
        if locked.status == ImportStatus.IMPORTED:
            raise Conflict("This file has been imported already.")
        plan = read_export(json.dumps(locked.data).encode())
        if Board.objects.filter(trello_id=plan.board_id).exists():
            raise Conflict(
                "This board has been imported already: open it from the initiative's page."
            )
        try:
            with transaction.atomic():
                board = _write(plan, locked.initiative, by)
        except IntegrityError:
            # Someone imported the same board a moment ago.
            raise Conflict(
                "This board has been imported already: open it from the initiative's page."
            ) from None
        locked.status = ImportStatus.IMPORTED
        locked.board = board
        locked.save(update_fields=["status", "board"])
    return board


def _write(plan: Plan, initiative: Initiative, by: User) -> Board:
    people = match_people(plan.people)
    board = Board.objects.create(
        initiative=initiative,
        title=plan.name,
        description=plan.description,
        trello_id=plan.board_id,
    )
    lists = BoardList.objects.bulk_create(
        [
            BoardList(
                board=board,
                name=item["name"],
                position=n,
                archived=item["closed"],
                trello_id=item["id"][:64],
            )
            for n, item in enumerate(plan.lists)
        ]
    )
    list_by_id = {item.trello_id: item for item in lists}
    labels = Label.objects.bulk_create(
        [
            Label(board=board, name=item["name"], colour=item["color"], trello_id=item["id"][:64])
            for item in plan.labels
        ]
    )
    label_by_id = {label.trello_id: label for label in labels}
    positions: dict[str, int] = defaultdict(int)
    new_cards = []
    for item in plan.cards:
        new_cards.append(
            Card(
                board=board,
                list=list_by_id[item["list"][:64]],
                title=item["name"],
                description=item["desc"],
                position=positions[item["list"]],
                due_at=item["due"],
                due_done=item["due_done"],
                archived=item["closed"],
                created_by=by,
                trello_id=item["id"][:64],
            )
        )
        positions[item["list"]] += 1
    cards = Card.objects.bulk_create(new_cards, batch_size=500)
    card_by_id = {card.trello_id: card for card in cards}
    Card.labels.through.objects.bulk_create(
        [
            Card.labels.through(
                card_id=card_by_id[item["id"][:64]].pk, label_id=label_by_id[label[:64]].pk
            )
            for item in plan.cards
            for label in dict.fromkeys(item["labels"])
        ],
        batch_size=1000,
    )
    Card.people.through.objects.bulk_create(
        [
            Card.people.through(card_id=card_by_id[item["id"][:64]].pk, user_id=people[member].pk)
            for item in plan.cards
            for member in dict.fromkeys(item["members"])
            if member in people
        ],
        batch_size=1000,
    )
    CardAttachment.objects.bulk_create(
        [
            CardAttachment(card=card_by_id[item["id"][:64]], title=a["name"], url=a["url"])
            for item in plan.cards
            for a in item["attachments"]
        ],
        batch_size=1000,
    )
    checklists = Checklist.objects.bulk_create(
        [
            Checklist(card=card_by_id[item["card"][:64]], name=item["name"], position=n)
            for n, item in enumerate(sorted(plan.checklists, key=lambda c: c["pos"]))
        ],
        batch_size=500,
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(checklist=checklist, text=entry["name"], done=entry["done"], position=n)
            for checklist, item in zip(
                checklists, sorted(plan.checklists, key=lambda c: c["pos"]), strict=True
            )
            for n, entry in enumerate(item["items"])
        ],
        batch_size=1000,
    )
    CardComment.objects.bulk_create(
        [
            CardComment(
                card=card_by_id[item["card"][:64]],
                author=people.get(item["member"]),
                author_name=item["name"],
                body=item["text"],
                created_at=item["date"],
            )
            for item in plan.comments
        ],
        batch_size=1000,
    )
    CardEvent.objects.bulk_create(
        [
            CardEvent(
                board=board,
                card=card_by_id[item["card"][:64]] if item["card"] else None,
                actor=people.get(item["member"]),
                actor_name=item["name"],
                action=item["action"],
                detail=item["detail"],
                at=item["date"],
            )
            for item in plan.history
        ],
        batch_size=1000,
    )
    CardEvent.objects.create(
        board=board,
        actor=by,
        action="imported",
        detail=f"Imported the board “{board.title}” with {len(cards)} cards",
    )
    search_index.put_many(card_entry(card) for card in cards if not card.archived)
    return board
