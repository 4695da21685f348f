"""Offering to volunteer, without an account: a start page, one question per
page, check answers, then a confirmation."""

from typing import Any

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fingerpost.core.errors import call_with_form

from . import services
from .models import Skill, Way, availability_choices
from .public_forms import VOLUNTEER_STEPS

SESSION_KEY = "champion_interest"
STEP_NAMES = [name for name, _ in VOLUNTEER_STEPS]
FORMS = dict(VOLUNTEER_STEPS)


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "champions/volunteer_start.html", {"first": STEP_NAMES[0]})


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(SESSION_KEY, {})
    return answers


def _next_url(step: str, answers: dict[str, Any]) -> str:
    for name in STEP_NAMES[STEP_NAMES.index(step) + 1 :]:
        if name not in answers:
            return reverse("champions:volunteer_step", kwargs={"step": name})
    return reverse("champions:volunteer_check")


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in FORMS:
        raise Http404("No such question")
    answers = _answers(request)
    index = STEP_NAMES.index(step)
    for earlier in STEP_NAMES[:index]:
        if earlier not in answers:
            return redirect("champions:volunteer_step", step=earlier)
    form_class = FORMS[step]
    form = form_class(
        request.POST if request.method == "POST" else None, initial=answers.get(step, {})
    )
    if request.method == "POST" and form.is_valid():
        answers[step] = form.cleaned_data
        request.session[SESSION_KEY] = answers
        return redirect(_next_url(step, answers))
    back = (
        reverse("champions:volunteer_step", kwargs={"step": STEP_NAMES[index - 1]})
        if index
        else reverse("champions:volunteer_start")
    )
    return render(
        request,
        "champions/volunteer_step.html",
        {
            "form": form,
            "title": getattr(form_class, "title", ""),
            "back_url": back,
            "step_number": index + 1,
            "step_count": len(STEP_NAMES),
        },
    )


def _flatten(answers: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name in STEP_NAMES:
        flat.update(answers.get(name, {}))
    return flat


def _rows(flat: dict[str, Any]) -> list[tuple[str, str, str]]:
    skills, ways, slots = dict(Skill.choices), dict(Way.choices), dict(availability_choices())

    def url(step: str) -> str:
        return reverse("champions:volunteer_step", kwargs={"step": step})

    return [
        ("Name", flat["name"], url("about-you")),
        ("Email address", flat["email"], url("about-you")),
        ("Phone number", flat.get("phone") or "Not given", url("about-you")),
        ("Where you live", flat["postcode_or_town"], url("where")),
        (
            "What you could help with",
            ", ".join(str(skills[s]) for s in flat["skills"]),
            url("skills"),
        ),
        ("Languages", flat.get("languages") or "English only", url("skills")),
        ("How you could help", ", ".join(str(ways[w]) for w in flat["ways"]), url("how")),
        ("When you are free", ", ".join(slots[s] for s in flat["availability"]), url("how")),
        ("Anything else", flat.get("why") or "Nothing", url("how")),
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = [name for name in STEP_NAMES if name not in answers]
    if missing:
        return redirect("champions:volunteer_step", step=missing[0])
    flat = _flatten(answers)
    form = Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        interest = call_with_form(
            form, services.express_interest, answers=services.InterestAnswers(**flat)
        )
        if interest is not None:
            request.session.pop(SESSION_KEY, None)
            request.session["champion_interest_done"] = True
            return redirect("champions:volunteer_done")
    return render(request, "champions/volunteer_check.html", {"rows": _rows(flat), "form": form})


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    if not request.session.get("champion_interest_done"):
        return redirect("champions:volunteer_start")
    return render(request, "champions/volunteer_done.html")
