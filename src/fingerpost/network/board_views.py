"""Shared initiatives and their boards: lists, cards, moving a card (a form,
so it works without JavaScript), the history, import and export."""

from __future__ import annotations

import json
from datetime import datetime, time

from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fingerpost.core.errors import (
    NotAllowed,
    call_with_form,
    refusals_as_messages,
    refused_page_status,
)
from fingerpost.core.views import signed_in_user

from . import exports, queries
from .access import members_only, page_of
from .forms import (
    AttachmentForm,
    ChecklistItemForm,
    CommentForm,
    EditCardForm,
    ImportForm,
    InitiativeForm,
    ListForm,
    MoveCardForm,
    NewCardForm,
    TitleForm,
)
from .models import Board, Card, ChecklistItem, Initiative
from .models.boards import ImportStatus
from .services import boards as board_services
from .services import trello


def _initiative(slug: str) -> Initiative:
    found = queries.initiative(slug)
    if found is None:
        raise Http404
    return found


def _board(pk: int) -> Board:
    found = queries.board(pk)
    if found is None:
        raise Http404
    return found


def _card(pk: int) -> Card:
    found = queries.card(pk)
    if found is None:
        raise Http404
    return found


def _due(day: object) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, time(17, 0)))  # type: ignore[arg-type]


def _must_edit(request: HttpRequest, obj: Model) -> None:
    if not request.user.has_perm("network.edit_board", obj):
        raise NotAllowed("Join the initiative to change its board.")


@require_safe
@members_only
def initiatives(request: HttpRequest) -> HttpResponse:
    return render(
        request, "network/initiatives.html", {"page": page_of(queries.initiatives(), request)}
    )


@require_http_methods(["GET", "POST"])
@members_only
def new_initiative(request: HttpRequest) -> HttpResponse:
    form = InitiativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = call_with_form(
            form, board_services.create_initiative, by=signed_in_user(request), **form.cleaned_data
        )
        if found is not None:
            messages.success(request, f"“{found.title}” is started, with a board.")
            return redirect(found.get_absolute_url())
    return render(
        request, "network/initiative_form.html", {"form": form}, status=400 if form.errors else 200
    )


@require_safe
@members_only
def initiative(request: HttpRequest, slug: str) -> HttpResponse:
    found = _initiative(slug)
    user = signed_in_user(request)
    member_ids = {m.user_id for m in found.memberships.all()}
    return render(
        request,
        "network/initiative.html",
        {
            "initiative": found,
            "is_member": user.pk in member_ids,
            "may_edit": user.has_perm("network.edit_board", found),
        },
    )


@require_POST
@members_only
def membership(request: HttpRequest, slug: str) -> HttpResponse:
    found = _initiative(slug)
    user = signed_in_user(request)
    with refusals_as_messages(request):
        if request.POST.get("join") == "no":
            board_services.leave_initiative(initiative=found, by=user)
            messages.success(request, f"You left “{found.title}”.")
        else:
            board_services.join_initiative(initiative=found, by=user)
            messages.success(request, f"You joined “{found.title}”. You can now change its boards.")
    return redirect(found.get_absolute_url())


@require_http_methods(["GET", "POST"])
@members_only
def new_board(request: HttpRequest, slug: str) -> HttpResponse:
    found = _initiative(slug)
    _must_edit(request, found)
    form = TitleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        board = call_with_form(
            form,
            board_services.create_board,
            initiative=found,
            by=signed_in_user(request),
            title=form.cleaned_data["title"],
        )
        if board is not None:
            return redirect(board.get_absolute_url())
    return render(
        request,
        "network/board_form.html",
        {"form": form, "initiative": found},
        status=400 if form.errors else 200,
    )


@require_safe
@members_only
def board(request: HttpRequest, pk: int) -> HttpResponse:
    found = _board(pk)
    view = queries.board_view(found)
    may_edit = request.user.has_perm("network.edit_board", found)
    return render(
        request,
        "network/board.html",
        {"view": view, "board": found, "may_edit": may_edit, "column_width": "full"},
    )


@require_http_methods(["GET", "POST"])
@members_only
def new_card(request: HttpRequest, pk: int) -> HttpResponse:
    found = _board(pk)
    _must_edit(request, found)
    initial = {"list": request.GET.get("list")} if request.GET.get("list", "").isdigit() else {}
    form = NewCardForm(request.POST or None, board=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = call_with_form(
            form,
            board_services.add_card,
            board=found,
            by=signed_in_user(request),
            board_list=data["list"],
            title=data["title"],
            description=data["description"],
            due_at=_due(data["due_at"]),
        )
        if card is not None:
            messages.success(request, f"“{card.title}” is added to {card.list.name}.")
            return redirect(f"{found.get_absolute_url()}#card-{card.pk}")
    return render(
        request,
        "network/card_new.html",
        {"form": form, "board": found},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@members_only
def new_list(request: HttpRequest, pk: int) -> HttpResponse:
    found = _board(pk)
    _must_edit(request, found)
    form = ListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = call_with_form(
            form,
            board_services.add_list,
            board=found,
            by=signed_in_user(request),
            name=form.cleaned_data["name"],
        )
        if made is not None:
            messages.success(request, f"The list “{made.name}” is added.")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "network/list_new.html",
        {"form": form, "board": found},
        status=400 if form.errors else 200,
    )


def _card_page(
    request: HttpRequest, card: Card, status: int = 200, **forms: object
) -> HttpResponse:
    may_edit = request.user.has_perm("network.edit_board", card.board)
    context: dict[str, object] = {
        "card": card,
        "board": card.board,
        "may_edit": may_edit,
        "history": list(queries.card_history(card)),
        "position": queries.card_position(card),
    }
    if may_edit:
        context.update(
            {
                "move_form": MoveCardForm(
                    board=card.board,
                    initial={"list": card.list_id, "position": context["position"]},
                    prefix="move",
                ),
                "comment_form": CommentForm(prefix="comment"),
                "item_form": ChecklistItemForm(prefix="item"),
                "attach_form": AttachmentForm(prefix="attach"),
            }
        )
    context.update(forms)
    return render(request, "network/card.html", context, status=status)


@require_safe
@members_only
def card(request: HttpRequest, pk: int) -> HttpResponse:
    return _card_page(request, _card(pk))


@require_http_methods(["GET", "POST"])
@members_only
def edit_card(request: HttpRequest, pk: int) -> HttpResponse:
    found = _card(pk)
    _must_edit(request, found.board)
    initial = {
        "title": found.title,
        "description": found.description,
        "due_at": timezone.localtime(found.due_at).date() if found.due_at else None,
        "due_done": found.due_done,
        "labels": list(found.labels.all()),
        "people": list(found.people.all()),
    }
    form = EditCardForm(request.POST or None, board=found.board, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_with_form(
            form,
            board_services.update_card,
            card=found,
            by=signed_in_user(request),
            title=data["title"],
            description=data["description"],
            due_at=_due(data["due_at"]),
            labels=data["labels"],
            people=data["people"],
            due_done=data["due_done"],
        )
        if saved is not None:
            messages.success(request, "The card is saved.")
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "network/card_edit.html",
        {"form": form, "card": found},
        status=400 if form.errors else 200,
    )


@require_POST
@members_only
def move_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The move form on the board and on the card page; drag and drop sends the same form."""
    found = _card(pk)
    _must_edit(request, found.board)
    form = MoveCardForm(request.POST, board=found.board, prefix="move")
    if form.is_valid():
        moved = call_with_form(
            form,
            board_services.move_card,
            card=found,
            by=signed_in_user(request),
            to_list=form.cleaned_data["list"],
            position=form.cleaned_data["position"],
        )
        if moved is not None:
            messages.success(request, f"“{moved.title}” is moved to {moved.list.name}.")
            if request.POST.get("back") == "card":
                return redirect(moved.get_absolute_url())
            return redirect(f"{found.board.get_absolute_url()}#card-{moved.pk}")
    return _card_page(request, found, refused_page_status(form), move_form=form, form=form)


@require_POST
@members_only
def archive_card(request: HttpRequest, pk: int) -> HttpResponse:
    found = _card(pk)
    archive = request.POST.get("archive") != "no"
    with refusals_as_messages(request):
        board_services.set_archived(card=found, by=signed_in_user(request), archived=archive)
        messages.success(
            request, f"“{found.title}” is {'archived' if archive else 'back on the board'}."
        )
    return redirect(found.get_absolute_url())


@require_POST
@members_only
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _card(pk)
    _must_edit(request, found.board)
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid() and call_with_form(
        form,
        board_services.add_comment,
        card=found,
        by=signed_in_user(request),
        body=form.cleaned_data["body"],
    ):
        messages.success(request, "Your comment is added.")
        return redirect(found.get_absolute_url())
    return _card_page(request, found, 400, comment_form=form, form=form)


@require_POST
@members_only
def add_item(request: HttpRequest, pk: int) -> HttpResponse:
    found = _card(pk)
    _must_edit(request, found.board)
    form = ChecklistItemForm(request.POST, prefix="item")
    if form.is_valid() and call_with_form(
        form,
        board_services.add_checklist_item,
        card=found,
        by=signed_in_user(request),
        text=form.cleaned_data["text"],
    ):
        return redirect(found.get_absolute_url())
    return _card_page(request, found, 400, item_form=form, form=form)


@require_POST
@members_only
def tick_item(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    found = _card(pk)
    if not 0 < item <= queries.LARGEST_ID:
        raise Http404
    entry = (
        ChecklistItem.objects.select_related("checklist__card__board__initiative")
        .filter(pk=item, checklist__card=found)
        .first()
    )
    if entry is None:
        raise Http404
    board_services.set_item_done(
        item=entry, by=signed_in_user(request), done=request.POST.get("done") == "yes"
    )
    return redirect(found.get_absolute_url())


@require_POST
@members_only
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    found = _card(pk)
    _must_edit(request, found.board)
    form = AttachmentForm(request.POST, prefix="attach")
    if form.is_valid() and call_with_form(
        form,
        board_services.attach,
        card=found,
        by=signed_in_user(request),
        resource=form.cleaned_data["resource"],
        url=form.cleaned_data["url"],
        title=form.cleaned_data["title"],
    ):
        messages.success(request, "The link is added to the card.")
        return redirect(found.get_absolute_url())
    return _card_page(request, found, 400, attach_form=form, form=form)


@require_safe
@members_only
def archived(request: HttpRequest, pk: int) -> HttpResponse:
    found = _board(pk)
    return render(
        request,
        "network/archived.html",
        {"board": found, "page": page_of(queries.archived_cards(found), request)},
    )


@require_safe
@members_only
def history(request: HttpRequest, pk: int) -> HttpResponse:
    found = _board(pk)
    return render(
        request,
        "network/history.html",
        {"board": found, "page": page_of(queries.board_history(found), request, 50)},
    )


@require_safe
@members_only
def export_board(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    if file_format not in ("json", "csv"):
        raise Http404
    found = _board(pk)
    cards = queries.board_export(found)
    if file_format == "csv":
        return exports.board_csv(found, cards)
    response = HttpResponse(
        json.dumps(exports.board_json(found, cards), indent=1, ensure_ascii=False),
        content_type="application/json",
    )
    response["Content-Disposition"] = f'attachment; filename="board-{found.pk}.json"'
    return response


@require_http_methods(["GET", "POST"])
@members_only
def import_board(request: HttpRequest, slug: str) -> HttpResponse:
    found = _initiative(slug)
    _must_edit(request, found)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        previewed = call_with_form(
            form,
            trello.preview_import,
            initiative=found,
            by=signed_in_user(request),
            upload=form.cleaned_data["file"],
        )
        if previewed is not None:
            return redirect("network:import_preview", slug=found.slug, pk=previewed.pk)
    return render(
        request,
        "network/import.html",
        {"form": form, "initiative": found},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@members_only
def import_preview(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _initiative(slug)
    _must_edit(request, found)
    pending = queries.board_import(found, pk)
    if pending is None:
        raise Http404
    if (
        request.method == "POST"
        and pending.status == ImportStatus.PREVIEWED
        and pending.board is None
    ):
        with refusals_as_messages(request):
            made = trello.import_board(board_import=pending, by=signed_in_user(request))
            messages.success(request, f"“{made.title}” is imported.")
            return redirect("network:import_preview", slug=found.slug, pk=pending.pk)
        pending = queries.board_import(found, pk)
    return render(request, "network/import_preview.html", {"initiative": found, "pending": pending})
