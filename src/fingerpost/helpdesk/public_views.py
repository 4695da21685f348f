"""Asking for help without an account: one question per page, then check
answers, then a confirmation with a reference and a private status link."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services
from .forms import INTAKE_STEPS
from .models import Answer, HelpMode, HelpRequest, Need

SESSION_KEY = "help_request_answers"
STEP_NAMES = [name for name, _ in INTAKE_STEPS]
FORMS = dict(INTAKE_STEPS)


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(SESSION_KEY, {})
    return answers


def _next_url(step: str, answers: dict[str, Any]) -> str:
    # After a change from "check your answers", go back there once everything is answered.
    for name in STEP_NAMES[STEP_NAMES.index(step) + 1 :]:
        if name not in answers:
            return reverse("helpdesk_public:step", kwargs={"step": name})
    return reverse("helpdesk_public:check")


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, step: str) -> HttpResponse:
    if step not in FORMS:
        raise Http404("No such question")
    answers = _answers(request)
    index = STEP_NAMES.index(step)
    # Questions are answered in order: skipping ahead goes back to the first unanswered one.
    for earlier in STEP_NAMES[:index]:
        if earlier not in answers:
            return redirect("helpdesk_public:step", step=earlier)
    form_class = FORMS[step]
    initial = answers.get(step, {})
    if step == "consent" and "consent_to_share" in initial:
        initial = {"consent_to_share": "yes" if initial["consent_to_share"] else "no"}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers[step] = form.cleaned_data
        request.session[SESSION_KEY] = answers
        return redirect(_next_url(step, answers))
    back = (
        reverse("helpdesk_public:step", kwargs={"step": STEP_NAMES[index - 1]})
        if index
        else reverse("core:get_help")
    )
    return render(
        request,
        "helpdesk/ask_step.html",
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


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = [name for name in STEP_NAMES if name not in answers]
    if missing:
        return redirect("helpdesk_public:step", step=missing[0])
    flat = _flatten(answers)
    if request.method == "POST":
        try:
            help_request = services.submit_request(answers=services.IntakeAnswers(**flat))
        except services.HelpdeskError as error:
            return render(
                request, "helpdesk/ask_check.html", {"rows": _rows(flat), "error": str(error)}
            )
        request.session.pop(SESSION_KEY, None)
        request.session["help_request_done"] = help_request.token
        return redirect("helpdesk_public:done")
    return render(request, "helpdesk/ask_check.html", {"rows": _rows(flat)})


def _rows(flat: dict[str, Any]) -> list[tuple[str, str, str]]:
    needs = dict(Need.choices)
    modes = dict(HelpMode.choices)
    yes_no = dict(Answer.choices)

    def url(step: str) -> str:
        return reverse("helpdesk_public:step", kwargs={"step": step})

    return [
        (
            "What you would like help with",
            ", ".join(str(needs[n]) for n in flat["needs"]),
            url("needs"),
        ),
        (
            "What you would like to be able to do",
            flat.get("what_they_want") or "Not given",
            url("needs"),
        ),
        ("Phone, tablet or computer", str(yes_no.get(flat["has_device"], "")), url("device")),
        ("Internet at home", str(yes_no.get(flat["has_internet"], "")), url("device")),
        (
            "How you would like help",
            ", ".join(str(modes[m]) for m in flat["help_modes"]),
            url("how"),
        ),
        ("Name", flat["name"], url("contact")),
        ("Phone number", flat.get("phone") or "Not given", url("contact")),
        ("E-mail address", flat.get("email") or "Not given", url("contact")),
        ("Postcode or town", flat["postcode_or_town"], url("where")),
        ("Languages", flat.get("languages") or "Not given", url("more")),
        ("Access needs", flat.get("access_needs") or "None given", url("more")),
        (
            "Share your details with a volunteer",
            "Yes" if flat["consent_to_share"] else "No",
            url("consent"),
        ),
    ]


@never_cache
def done(request: HttpRequest) -> HttpResponse:
    token = request.session.get("help_request_done")
    if not token:
        return redirect("core:get_help")
    help_request = get_object_or_404(HelpRequest, token=token)
    return render(request, "helpdesk/ask_done.html", {"help_request": help_request})


STATUS_WORDS = {
    "new": "We have your request. Someone will contact you soon.",
    "triaged": "We have looked at your request and are finding the right person to help you.",
    "assigned": "A volunteer digital champion will contact you to arrange help.",
    "in_progress": "We are helping you.",
    "closed": "Your request is closed.",
}


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    help_request = get_object_or_404(
        HelpRequest.objects.select_related("assigned_to", "event_booking__event"),
        token=token,
        anonymised_at__isnull=True,
    )
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        help_request = services.withdraw(request=help_request)
        return redirect("helpdesk_public:status", token=token)
    return render(
        request,
        "helpdesk/status.html",
        {
            "help_request": help_request,
            "status_words": STATUS_WORDS[help_request.status],
            "confirming": request.GET.get("withdraw") == "1",
        },
    )
