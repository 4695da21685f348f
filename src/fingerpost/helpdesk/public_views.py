"""Asking for help without an account: one question per page, then check
answers, then a confirmation with a reference and a private status link."""

from typing import Any

from django.contrib import messages
from django.forms import BoundField, Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fingerpost.core import limits
from fingerpost.core.errors import call_with_form
from fingerpost.core.free_times import free_phrase
from fingerpost.organisations.queries import help_locations

from . import queries, services
from .models import Answer, HelpMode, HelpRequest, Need, Status
from .public_forms import INTAKE_STEPS

SESSION_KEY = "help_request_answers"
STEP_NAMES = [name for name, _ in INTAKE_STEPS]
# Asked on the way through, but a request can be sent without them.
OPTIONAL_STEPS = {"free"}
FORMS = dict(INTAKE_STEPS)


def _answers(request: HttpRequest) -> dict[str, Any]:
    answers: dict[str, Any] = request.session.get(SESSION_KEY, {})
    return answers


def start_request_with_needs(
    request: HttpRequest, *, needs: list[str], what_they_want: str = ""
) -> str:
    """For other apps (the skills check, the directory): begin a resident's
    request with the needs question filled in. Other answers already given are
    kept. Returns the address of the needs question, where the resident checks
    the answer and carries on."""
    chosen = [need for need in dict.fromkeys(needs) if need in Need.values]
    if chosen:
        answers = _answers(request)
        answers["needs"] = {"needs": chosen, "what_they_want": what_they_want[:1000]}
        request.session[SESSION_KEY] = answers
    return reverse("helpdesk_public:step", kwargs={"step": "needs"})


def _heading_field(form: Form) -> BoundField | None:
    """The question that is also the page's heading (its legend is the h1), on a
    page that asks one question with radios or checkboxes: the form's
    `heading_field`, or else its only question when that is a group of choices.
    Pages with several questions keep a heading of their own."""
    name = getattr(form, "heading_field", None)
    fields = form.visible_fields()
    if name is None and len(fields) == 1:
        name = fields[0].name
    field = next((f for f in fields if f.name == name), None)
    return field if field is not None and getattr(field, "is_grouped", False) else None


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
        if earlier not in answers and earlier not in OPTIONAL_STEPS:
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
        else reverse("helpdesk_public:get_help")
    )
    heading_field = _heading_field(form)
    return render(
        request,
        "helpdesk/ask_step.html",
        {
            "form": form,
            "heading_field": heading_field,
            "other_fields": [f for f in form.visible_fields() if f is not heading_field],
            "title": heading_field.label if heading_field else getattr(form_class, "title", ""),
            "back_url": back,
            "step_number": index + 1,
            "step_count": len(STEP_NAMES),
        },
    )


@never_cache
def start_again(request: HttpRequest) -> HttpResponse:
    """Clear unfinished answers (someone else's, on a shared computer)."""
    request.session.pop(SESSION_KEY, None)
    messages.info(request, "Your answers have been cleared.")
    return redirect("helpdesk_public:get_help")


def _flatten(answers: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name in STEP_NAMES:
        flat.update(answers.get(name, {}))
    return flat


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = _answers(request)
    missing = [name for name in STEP_NAMES if name not in answers and name not in OPTIONAL_STEPS]
    if missing:
        return redirect("helpdesk_public:step", step=missing[0])
    flat = _flatten(answers)
    # The page has only a button; a refusal is shown in its error summary.
    form = Form(request.POST if request.method == "POST" else None)
    if form.is_valid():
        limits.check(request, "help_requests", email=str(flat.get("email") or ""))
        help_request = call_with_form(
            form, services.submit_request, answers=services.IntakeAnswers(**flat)
        )
        if help_request is not None:
            request.session.pop(SESSION_KEY, None)
            request.session["help_request_done"] = help_request.token
            return redirect("helpdesk_public:done")
    return render(request, "helpdesk/ask_check.html", {"rows": _rows(flat), "form": form})


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
        ("Internet at home", str(yes_no.get(flat["has_internet"], "")), url("internet")),
        (
            "How you would like help",
            ", ".join(str(modes[m]) for m in flat["help_modes"]),
            url("how"),
        ),
        (
            "When you are usually free",
            free_phrase(flat.get("free_days", []), flat.get("free_parts", [])) or "Not given",
            url("free"),
        ),
        ("Name", flat["name"], url("contact")),
        ("Phone number", flat.get("phone") or "Not given", url("contact")),
        ("Email address", flat.get("email") or "Not given", url("contact")),
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
    # Shown once: on a shared PC the next person must not reopen this page
    # and find the reference, the email and the private status link.
    token = request.session.pop("help_request_done", None)
    if not token:
        return render(request, "helpdesk/ask_done_neutral.html")
    help_request = get_object_or_404(queries.request_for_resident(token))
    return render(
        request,
        "helpdesk/ask_done.html",
        {
            "help_request": help_request,
            "team": _team(help_request),
            "how_we_contact": how_we_contact(help_request),
        },
    )


STATUS_WORDS = {
    "new": "We have your request.",
    "triaged": "We have looked at your request and are finding the right person to help you.",
    "assigned": "We have found someone to help you.",
    "in_progress": "We are helping you.",
    "closed": "Your request is closed.",
}


def how_we_contact(help_request: HelpRequest) -> str:
    """'by phone', 'by email' or 'by phone or email': the ways the resident gave us."""
    ways = [way for way in ("phone", "email") if getattr(help_request, way)]
    return f"by {' or '.join(ways)}" if ways else ""


def _team(help_request: HelpRequest) -> str:
    return f"the {help_request.organisation.name} digital help team"


def champion_first_name(help_request: HelpRequest) -> str:
    """The first name of the volunteer champion helping the resident, or "" when
    no active champion is assigned. Never their surname, email or phone."""
    champion = help_request.assigned_to
    # Assigned only ever to a champion (services.assign checks); the account may
    # have been closed since.
    if champion is None or not champion.is_active:
        return ""
    names = champion.full_name.split()
    return names[0] if names else ""


def who_will_contact(help_request: HelpRequest) -> str:
    """Who will contact the resident and how, in plain words, for the status page."""
    how = how_we_contact(help_request)
    first_name = champion_first_name(help_request)
    if first_name:
        who = f"{first_name}, a volunteer digital champion,"
    else:
        who = f"Someone from {_team(help_request)}"
    return f"{who} will contact you{f' {how}' if how else ''}."


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, token: str) -> HttpResponse:
    help_request = get_object_or_404(queries.request_for_resident(token))
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        help_request = services.withdraw(request=help_request)
        return redirect("helpdesk_public:status", token=token)
    return render(
        request,
        "helpdesk/status.html",
        {
            "help_request": help_request,
            "status_words": STATUS_WORDS[help_request.status],
            "who_will_contact": (
                who_will_contact(help_request) if help_request.status != Status.CLOSED else ""
            ),
            "confirming": request.GET.get("withdraw") == "1",
        },
    )


def get_help(request: HttpRequest) -> HttpResponse:
    """Where residents start: what help there is, and the ways to ask for it."""
    return render(request, "helpdesk/get_help.html", {"locations": help_locations()})
