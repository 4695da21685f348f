"""The players' pages: join with the code and a nickname, then one page that
shows whatever the presenter is showing. No account: the player's device
keeps its token in a cookie, so a reload or a lost signal keeps the place.

Without JavaScript the page refreshes itself; with it, `quiz/live.mjs`
polls the state (a 304 while nothing changed, else the payload of
`poll.py` to draw the screen from) and asks `mine/` for the player's own
score and answer once the deadline has passed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fingerpost.core.errors import Conflict, Invalid, NotFound, call_with_form

from . import poll, queries, screens, services
from .models import Player
from .public_forms import AnswerForm, CodeForm, NicknameForm
from .scoring import poll_after_ms, state_tag
from .state import live_state

COOKIE_HOURS = 12


def _cookie_name(code: str) -> str:
    return f"fp_quiz_{code}"


def _me(request: HttpRequest, code: str) -> Player | None:
    return queries.player_for(code, request.COOKIES.get(_cookie_name(code), ""))


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Enter the code from the big screen (also `?code=` from the QR code)."""
    data = (
        request.POST
        if request.method == "POST"
        else (request.GET if "code" in request.GET else None)
    )
    form = CodeForm(data)
    if data is not None and form.is_valid():
        code = form.cleaned_data["code"]
        if queries.session_by_code(code) is not None:
            return redirect("quiz:nickname", code=code)
        form.add_error("code", "There is no quiz with that code. Check the code on the big screen")
    status = 400 if form.errors else 200
    return render(request, "quiz/play/join.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def nickname(request: HttpRequest, code: str) -> HttpResponse:
    session = queries.session_by_code(code)
    if session is None:
        raise NotFound("There is no quiz with that code")
    if _me(request, code) is not None:
        return redirect("quiz:play", code=code)
    form = NicknameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        player = call_with_form(
            form, services.join_session, code=code, nickname=form.cleaned_data["nickname"]
        )
        if player is not None:
            response = redirect("quiz:play", code=code)
            response.set_cookie(
                _cookie_name(code),
                player.token,
                max_age=COOKIE_HOURS * 3600,
                path=f"/quiz/{code}/",
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    status = 400 if form.errors else 200
    return _no_store(
        render(
            request, "quiz/play/nickname.html", {"form": form, "session": session}, status=status
        )
    )


@require_safe
def play(request: HttpRequest, code: str) -> HttpResponse:
    me = _me(request, code)
    if me is None:
        return redirect("quiz:nickname", code=code)
    context = screens.player(me.session, me)
    context["state_url"] = reverse("quiz:state", args=[code])
    context["mine_url"] = reverse("quiz:mine", args=[code])
    my_answer = context.get("my_answer")
    # What quiz/live.mjs starts from; it draws later screens itself.
    context["mine"] = {
        "name": me.shown_name,
        "hidden": me.hidden,
        "position": me.session.position,
        "answered": my_answer.choice_id if my_answer else None,
        "joined_late": context.get("joined_late", False),
    }
    return _no_store(render(request, "quiz/play/play.html", context))


def _wants_json(request: HttpRequest) -> bool:
    # quiz/live.mjs asks for JSON, so an answer is one short request; a form
    # without JavaScript gets the page again.
    return request.headers.get("X-Quiz-Fetch") == "1"


@require_POST
def answer(request: HttpRequest, code: str) -> HttpResponse:
    me = queries.player_in(code, request.COOKIES.get(_cookie_name(code), ""))
    as_json = _wants_json(request)
    if me is None:
        if as_json:
            return JsonResponse({"detail": "Join the quiz first"}, status=404)
        return redirect("quiz:nickname", code=code)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise Invalid("Choose one of the answers", field="choice")
        services.answer(
            code=code,
            player_token=me.token,
            position=form.cleaned_data["position"],
            choice_id=form.cleaned_data["choice"],
            player=me,
        )
    except (Conflict, Invalid) as refusal:
        if as_json:
            return JsonResponse({"detail": refusal.message}, status=refusal.status)
        # The page shows why (too late, already answered) as it is now.
        messages.error(request, refusal.message)
        return redirect("quiz:play", code=code)
    if as_json:
        return JsonResponse(
            {"accepted": True, "position": form.cleaned_data["position"]}, status=201
        )
    return redirect("quiz:play", code=code)


@require_safe
def state(request: HttpRequest, code: str) -> HttpResponse:
    """What phones poll (answered early by `middleware.AnswerStatePolls`)."""
    return state_response(request, code)


def state_response(request: HttpRequest, code: str) -> HttpResponse:
    """One cache read (or one query), and a 304 while nothing has changed;
    after a change, the payload to draw the screen from (`poll.payload`:
    one more cache read, built once per change for the whole room)."""
    live = live_state(code)
    if live is None:
        return JsonResponse({"detail": "There is no quiz with that code"}, status=404)
    now = timezone.now()
    tag = state_tag(live, now)
    etag = f'"{tag}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(poll.payload(live, now), content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache, private"
    response["X-Poll-After"] = str(poll_after_ms(live, now))
    return _sized(response)


def _sized(response: HttpResponse) -> HttpResponse:
    # Answered before CommonMiddleware, which would add it: without it the
    # server sends the body chunked.
    response["Content-Length"] = str(len(response.content))
    return response


@require_safe
def mine(request: HttpRequest, code: str) -> HttpResponse:
    """A player's own state (answered early by `middleware.AnswerStatePolls`)."""
    return mine_response(request, code)


def mine_response(request: HttpRequest, code: str) -> HttpResponse:
    """This device's player: score, answer, right or not (after the
    deadline). Two queries; nothing of any other player."""
    found = poll.mine(code, request.COOKIES.get(_cookie_name(code), ""), timezone.now())
    if found is None:
        return _sized(_no_store(JsonResponse({"detail": "Join the quiz first"}, status=404)))
    return _sized(_no_store(JsonResponse(found.as_json())))
