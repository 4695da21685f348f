"""The skills check for residents (no account): a start page, one page for
each part of the framework, an optional "where do you live", and the
results, from which the resident can ask for help or email themselves."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from fingerpost.core.errors import call_with_form
from fingerpost.directory import queries as directory
from fingerpost.helpdesk.public_views import start_request_with_needs

from . import services
from .forms import AreaTasksForm, EmailResultForm, WhereForm
from .framework import AREA_KEYS, area
from .results import Summary, summarise

SESSION_KEY = "skills_check"
WHERE = "where"
PAGES = [*AREA_KEYS, WHERE]
# Places shown under "help near you" on the results page.
NEARBY_SHOWN = 3
FREE_COURSES = [
    ("Learn My Way", "https://www.learnmyway.com/", "Free, short online courses for beginners."),
]


def _state(request: HttpRequest) -> dict[str, Any]:
    state: dict[str, Any] = request.session.get(SESSION_KEY, {})
    state.setdefault("answers", {})
    return state


def _save(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[SESSION_KEY] = state


def _first_unanswered(state: dict[str, Any]) -> str | None:
    for page in AREA_KEYS:
        if page not in state["answers"]:
            return page
    return None if "place" in state else WHERE


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "skills/start.html", {"first_page": PAGES[0], "pages": len(PAGES)})


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404("No such page")
    state = _state(request)
    index = PAGES.index(page)
    for earlier in PAGES[:index]:
        if earlier != WHERE and earlier not in state["answers"]:
            return redirect("skills:step", page=earlier)
    data = request.POST if request.method == "POST" else None
    form: AreaTasksForm | WhereForm
    if page == WHERE:
        form = WhereForm(data, initial={"place": state.get("place", "")})
    else:
        form = AreaTasksForm(data, skill_area=area(page), initial=state["answers"].get(page, {}))
    if request.method == "POST" and form.is_valid():
        if page == WHERE:
            state["place"] = form.cleaned_data["place"]
        else:
            state["answers"][page] = form.cleaned_data
        _save(request, state)
        following = _first_unanswered(state)
        if following is None:
            _record(request, state)
            return redirect("skills:results")
        return redirect("skills:step", page=following)
    back = reverse("skills:step", args=[PAGES[index - 1]]) if index else reverse("skills:start")
    return render(
        request,
        "skills/step.html",
        {
            "form": form,
            "skill_area": area(page) if page != WHERE else None,
            "page_number": index + 1,
            "page_count": len(PAGES),
            "back_url": back,
        },
    )


def _record(request: HttpRequest, state: dict[str, Any]) -> None:
    place = directory.place_for(state.get("place", "")) if state.get("place") else None
    result = services.record_result(
        summary=summarise(state["answers"]),
        area=place.area if place else None,
        result_id=state.get("result_id"),
    )
    state["result_id"] = result.pk
    _save(request, state)


def _finished(request: HttpRequest) -> tuple[dict[str, Any], Summary] | None:
    state = _state(request)
    if _first_unanswered(state) is not None or "result_id" not in state:
        return None
    return state, summarise(state["answers"])


@never_cache
@require_safe
def results(request: HttpRequest) -> HttpResponse:
    finished = _finished(request)
    if finished is None:
        return redirect("skills:start")
    state, summary = finished
    place = directory.place_for(state["place"]) if state.get("place") else None
    first_need = summary.needs[0] if summary.needs else ""
    nearby = directory.find_locations(place=place, need=first_need)[:NEARBY_SHOWN] if place else []
    sessions = [(found.location, s) for found in nearby for s in found.sessions[:1]]
    return render(
        request,
        "skills/results.html",
        {
            "summary": summary,
            "place": place,
            "nearby": nearby,
            "sessions": sessions,
            "ebooks": list(directory.ebook_services()),
            "courses": FREE_COURSES,
            "change_url": reverse("skills:step", args=[PAGES[0]]),
        },
    )


@require_POST
def ask_for_help(request: HttpRequest) -> HttpResponse:
    """Start a help request with the needs from the gaps already filled in."""
    finished = _finished(request)
    if finished is None:
        return redirect("skills:start")
    _, summary = finished
    return redirect(
        start_request_with_needs(
            request, needs=summary.needs, what_they_want=summary.request_text()
        )
    )


def _email_and_say_so(**kwargs: Any) -> bool:
    services.email_result(**kwargs)
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def email_results(request: HttpRequest) -> HttpResponse:
    finished = _finished(request)
    if finished is None:
        return redirect("skills:start")
    state, summary = finished
    form = EmailResultForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = call_with_form(
            form,
            _email_and_say_so,
            summary=summary,
            to=form.cleaned_data["email"],
            sent_before=state.get("emails_sent", 0),
        )
        if sent:
            state["emails_sent"] = state.get("emails_sent", 0) + 1
            _save(request, state)
            messages.success(request, "We have sent your results. Check your email.")
            return redirect("skills:results")
    return render(request, "skills/email.html", {"form": form})
