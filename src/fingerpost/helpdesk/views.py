"""Partner staff's help-desk pages: the queue, a request, intake, referrals,
champions' own list, reports and data protection. Every request is looked up
through queries.requests_visible_to, and every look at one is audited."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from fingerpost.core import limits, outbox, spreadsheets
from fingerpost.core.errors import call_with_form, refused_page_status
from fingerpost.core.views import query_without, signed_in_user

from . import queries, reports, services
from .forms import (
    AssignForm,
    AssistedIntakeForm,
    BookSessionForm,
    CloseForm,
    ContactAttemptForm,
    NoteForm,
    QueueFilterForm,
    ReferralForm,
    RouteForm,
    SafeguardingForm,
    TriageForm,
)
from .models import Channel, HelpRequest

PAGE_SIZE = 50
TOP_AREAS = 20


@login_required
@permission_required("helpdesk.triage", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    filters = QueueFilterForm(request.GET or None)
    criteria: dict[str, Any] = {}
    if filters.is_valid():
        criteria = {k: v for k, v in filters.cleaned_data.items() if v not in ("", None)}
    requests = queries.queue(signed_in_user(request), **criteria)
    page = queries.QueuePaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "helpdesk/queue.html",
        {
            "page": page,
            "rows": queries.queue_rows(page.object_list),
            "filters": filters,
            "query": query_without(request, "page"),
        },
    )


@login_required
@permission_required("helpdesk.work_on_assigned", raise_exception=True)
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = queries.queue(signed_in_user(request))
    page = queries.QueuePaginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "helpdesk/my_requests.html",
        {"page": page, "rows": queries.queue_rows(page.object_list)},
    )


@login_required
def my_referrals(request: HttpRequest) -> HttpResponse:
    referrals = queries.referrals_made_by(request.user)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "helpdesk/my_referrals.html", {"page": page})


def _visible_request(request: HttpRequest, reference: str) -> HelpRequest:
    return get_object_or_404(queries.records_visible_to(request.user), reference=reference)


def _can_triage(request: HttpRequest) -> bool:
    return bool(request.user.has_perm("helpdesk.triage"))


@never_cache
@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_detail(request, _visible_request(request, reference))


def _render_detail(
    request: HttpRequest,
    help_request: HelpRequest,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    # Every showing of the resident's record is a view, a form sent back with errors too.
    services.record_viewed(help_request, by=signed_in_user(request))
    version = {"version": help_request.version}
    triage = _can_triage(request)
    wanted: dict[str, dict[str, Any]] = {"contact": version, "note": {}, "close": version}
    if triage:
        wanted.update(
            triage={
                **version,
                "priority": help_request.priority,
                "needs": [n.need for n in help_request.needs.all()],
            },
            assign=version,
            route=version,
            book=version,
            safeguarding=version,
        )
    forms: dict[str, Any] = {
        ACTIONS[action][1]: _action_form(action, initial=initial)
        for action, initial in wanted.items()
    }
    forms.update(failed or {})
    attempts = queries.contact_attempts(help_request)
    return render(
        request,
        "helpdesk/detail.html",
        {
            "help_request": help_request,
            "needs": help_request.needs.all(),
            "timeline": queries.timeline_for(help_request, request.user),
            "can_triage": triage,
            "contact_attempts": attempts,
            "next_step": queries.next_step(
                help_request, contact_attempts=attempts, can_triage=triage
            ),
            "confirmation_text": services.confirmation_text(help_request) if triage else "",
            "message_failures": outbox.failures_about(
                services.SUBJECT, [help_request.reference]
            ).get(help_request.reference, []),
            **forms,
        },
        status=status,
    )


ACTIONS: dict[str, tuple[type, str, Callable[..., Any]]] = {
    "triage": (
        TriageForm,
        "triage_form",
        lambda r, by, d: services.triage(
            request=r,
            by=by,
            expected_version=d["version"],
            priority=d["priority"],
            needs=d["needs"],
        ),
    ),
    "assign": (
        AssignForm,
        "assign_form",
        lambda r, by, d: services.assign(
            request=r, by=by, expected_version=d["version"], champion=d["champion"]
        ),
    ),
    "route": (
        RouteForm,
        "route_form",
        lambda r, by, d: services.route(
            request=r, by=by, expected_version=d["version"], kind=d["kind"], detail=d["detail"]
        ),
    ),
    "book": (
        BookSessionForm,
        "book_form",
        lambda r, by, d: services.book_session_place(
            request=r, by=by, expected_version=d["version"], event=d["event"]
        ),
    ),
    "safeguarding": (
        SafeguardingForm,
        "safeguarding_form",
        lambda r, by, d: services.flag_safeguarding(
            request=r, by=by, expected_version=d["version"], detail=d["detail"]
        ),
    ),
    "contact": (
        ContactAttemptForm,
        "contact_form",
        lambda r, by, d: services.record_contact(
            request=r, by=by, expected_version=d["version"], reached=d["reached"], note=d["note"]
        ),
    ),
    "note": (
        NoteForm,
        "note_form",
        lambda r, by, d: services.add_note(request=r, by=by, text=d["text"]),
    ),
    "close": (
        CloseForm,
        "close_form",
        lambda r, by, d: services.close(
            request=r,
            by=by,
            expected_version=d["version"],
            outcome=d["outcome"],
            detail=d["detail"],
        ),
    ),
}


def _action_form(action: str, *, data: Any = None, initial: dict[str, Any] | None = None) -> Any:
    """The form for one action on the request page. Its ids start with the
    action's name, so the page's several forms never share an id."""
    form_class = ACTIONS[action][0]
    return form_class(data, initial=initial, auto_id=f"{action}-%s")


COORDINATOR_ACTIONS = {"triage", "assign", "route", "book", "safeguarding"}
DONE_MESSAGES = {
    "triage": "Triage saved",
    "assign": "Request assigned",
    "route": "Routing recorded",
    "book": "Session booked: see the timeline",
    "safeguarding": "Safeguarding concern flagged and the lead alerted",
    "contact": "Contact attempt recorded",
    "note": "Note added",
    "close": "Request closed",
}


@require_POST
@login_required
def act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    help_request = _visible_request(request, reference)
    if action not in ACTIONS:
        return redirect(help_request)
    if action in COORDINATOR_ACTIONS and not _can_triage(request):
        raise PermissionDenied
    _, form_name, call = ACTIONS[action]
    form = _action_form(action, data=request.POST)
    if not form.is_valid():
        return _render_detail(request, help_request, {form_name: form, "form": form}, status=400)
    call_with_form(form, call, r=help_request, by=signed_in_user(request), d=form.cleaned_data)
    if form.errors:
        fresh = _visible_request(request, reference)
        return _render_detail(
            request, fresh, {form_name: form, "form": form}, status=refused_page_status(form)
        )
    messages.success(request, DONE_MESSAGES[action])
    return redirect(help_request)


@login_required
@permission_required("helpdesk.record_request", raise_exception=True)
def record_request(request: HttpRequest) -> HttpResponse:
    """A coordinator takes a request by phone or at the counter."""
    form = AssistedIntakeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not _confirmed(request):
        return _check_answers(request, form, referral=False)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channel = data.pop("channel")
        help_request = services.submit_request(
            answers=services.IntakeAnswers(**data),
            channel=channel,
            recorded_by=signed_in_user(request),
        )
        messages.success(request, f"Request {help_request.reference} recorded")
        return redirect(help_request)
    return render(request, "helpdesk/record.html", {"form": form, "referral": False})


def _confirmed(request: HttpRequest) -> bool:
    """The staff member read the answers back and pressed the button on the
    check-answers page (which carries every answer as a hidden field)."""
    return request.POST.get("step") == "confirm"


def _check_answers(
    request: HttpRequest, form: AssistedIntakeForm, *, referral: bool
) -> HttpResponse:
    if request.POST.get("step") == "change":
        # Back to the questions, answers kept.
        return render(request, "helpdesk/record.html", {"form": form, "referral": referral})
    posted = [(name, value) for name in form.fields for value in request.POST.getlist(name)]
    return render(
        request,
        "helpdesk/record_check.html",
        {"rows": form.answer_rows(), "posted": posted, "referral": referral},
    )


@login_required
@permission_required("helpdesk.refer", raise_exception=True)
def refer(request: HttpRequest) -> HttpResponse:
    form = ReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and not _confirmed(request):
        return _check_answers(request, form, referral=True)
    if request.method == "POST" and form.is_valid():
        limits.check(request, "referrals", email=form.cleaned_data.get("email") or "")
        help_request = services.submit_request(
            answers=services.IntakeAnswers(**form.cleaned_data),
            channel=Channel.REFERRAL,
            referred_by=signed_in_user(request),
        )
        messages.success(
            request, f"Referral {help_request.reference} sent. You can follow its status here."
        )
        return redirect("helpdesk:my_referrals")
    return render(request, "helpdesk/record.html", {"form": form, "referral": True})


@login_required
@permission_required("helpdesk.view_reports", raise_exception=True)
def report(request: HttpRequest) -> HttpResponse:
    period = reports.PeriodForm(request.GET or None)
    start, end = period.period()
    figures, worked_out_at = reports.kept_figures(
        queries.requests_visible_to(request.user), start=start, end=end
    )
    fmt = request.GET.get("format", "")
    if fmt in spreadsheets.FORMATS:
        return spreadsheets.spreadsheet_response(
            fmt,
            filename=f"help-requests-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}",
            header=["Measure", "Value", "Count"],
            rows=reports.as_rows(figures),
        )
    return render(
        request,
        "helpdesk/report.html",
        {
            "figures": figures,
            "top_areas": figures["by_area"][:TOP_AREAS],
            # Named `form` too, so the page title starts "Error: " when it has errors.
            "form": period,
            "download_query": query_without(request, "format", "page"),
            "period": period,
            "start": start,
            "end": end,
            "median_hours": reports.hours(figures["first_contact_median"]),
            "p90_hours": reports.hours(figures["first_contact_p90"]),
            "worked_out_at": worked_out_at,
            "kept_seconds": settings.FINGERPOST_HELPDESK_REPORT_SECONDS,
        },
    )


@login_required
@permission_required("helpdesk.data_protection", raise_exception=True)
def data_protection(request: HttpRequest) -> HttpResponse:
    """Subject access and erasure cover every app's records now (core)."""
    return redirect("core:data_protection")
