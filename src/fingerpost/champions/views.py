"""Champions' workspace and coordinators' pages. Requests are found through
queries.assignment_for (the champion's own, by the help desk's rule too) and
every look at one is audited like the help desk's own page."""

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from fingerpost.core import spreadsheets
from fingerpost.core.errors import (
    Invalid,
    call_with_form,
    refusals_as_messages,
    refused_page_status,
)
from fingerpost.core.views import query_without, signed_in_user
from fingerpost.helpdesk import queries as helpdesk_queries

from . import matching, queries, services
from .forms import (
    AssignForm,
    CheckForm,
    CloseForm,
    DaysForm,
    DeclineForm,
    InviteForm,
    PauseForm,
    PeriodForm,
    ProfileForm,
    ProposalForm,
    SessionForm,
    SetUpProfileForm,
    TrainingForm,
)
from .models import Assignment, AssignmentState, ChampionProfile, Interest, InterestStatus

PAGE_SIZE = 50
SHOWN_EXCLUSIONS = 100
SHOWN_SUGGESTIONS = 20
SHOWN_PROPOSALS = 100


def _weights() -> dict[str, int]:
    return dict(settings.FINGERPOST_CHAMPIONS_MATCH_WEIGHTS)


# ---------------------------------------------------------------- champions


def _own_profile(request: HttpRequest) -> ChampionProfile:
    profile = queries.profile_for(request.user)
    if profile is None:
        raise Http404("You have no champion profile yet: a coordinator sets it up")
    return profile


@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def workspace(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    assignments = list(queries.live_assignments_of(user))
    today = timezone.localdate()
    minutes = queries.minutes_of(user)
    profile = queries.profile_for(user)
    return render(
        request,
        "champions/workspace.html",
        {
            "profile": profile,
            "offered": [a for a in assignments if a.state == AssignmentState.OFFERED],
            "accepted": [a for a in assignments if a.state == AssignmentState.ACCEPTED],
            "upcoming": sorted(
                (a for a in assignments if a.next_session_on and a.next_session_on >= today),
                key=lambda a: a.next_session_on or today,
            ),
            "minutes": minutes,
            "milestones": queries.milestones_reached(minutes),
            "check_due": profile is not None
            and (
                profile.check_expires_on is None
                or (profile.check_expires_on - today).days
                <= max(settings.FINGERPOST_CHAMPIONS_CHECK_WARNING_DAYS)
            ),
            "today": today,
        },
    )


def _assignment(request: HttpRequest, reference: str) -> Assignment:
    found = queries.assignment_for(request.user, reference)
    if found is None:
        raise Http404("No request of yours has that reference")
    return found


def _render_request(
    request: HttpRequest,
    assignment: Assignment,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    help_request = assignment.help_request
    user = signed_in_user(request)
    services.record_viewed(help_request, by=user, via="champion workspace")
    accepted = assignment.state == AssignmentState.ACCEPTED
    context = {
        "assignment": assignment,
        "help_request": help_request,
        "needs": help_request.needs.all(),
        # Contact details only once the champion has taken the request on.
        "show_contact": accepted,
        "timeline": helpdesk_queries.timeline_for(help_request, user) if accepted else [],
        "sessions": queries.sessions_of_request(help_request, user),
        "decline_form": DeclineForm(auto_id="decline-%s"),
        "session_form": SessionForm(auto_id="session-%s"),
        "close_form": CloseForm(auto_id="close-%s"),
    }
    context.update(forms or {})
    return render(request, "champions/request.html", context, status=status)


@never_cache
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def request_page(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_request(request, _assignment(request, reference))


@require_POST
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def accept(request: HttpRequest, reference: str) -> HttpResponse:
    assignment = _assignment(request, reference)
    with refusals_as_messages(request):
        services.accept(assignment=assignment, by=signed_in_user(request))
        messages.success(request, "You have accepted the request: contact the resident")
    return redirect("champions:request", reference=reference)


def _act(
    request: HttpRequest,
    reference: str,
    *,
    form_class: type,
    form_name: str,
    call: Any,
    done: str,
    then: str,
) -> HttpResponse:
    assignment = _assignment(request, reference)
    form = form_class(request.POST, auto_id=f"{form_name.split('_')[0]}-%s")
    if form.is_valid():
        result = call_with_form(
            form, call, assignment=assignment, by=signed_in_user(request), **form.cleaned_data
        )
        if result is not None:
            messages.success(request, done)
            return redirect(then) if then else redirect("champions:request", reference=reference)
    fresh = queries.assignment_for(request.user, reference) or assignment
    return _render_request(
        request, fresh, {form_name: form, "form": form}, status=refused_page_status(form)
    )


@require_POST
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def decline(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        form_class=DeclineForm,
        form_name="decline_form",
        call=services.decline,
        done="You have declined the request. It is back with the coordinators",
        then="champions:workspace",
    )


@require_POST
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def log_session(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        form_class=SessionForm,
        form_name="session_form",
        call=services.log_session,
        done="Session logged",
        then="",
    )


@require_POST
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def close(request: HttpRequest, reference: str) -> HttpResponse:
    return _act(
        request,
        reference,
        form_class=CloseForm,
        form_name="close_form",
        call=services.close_request,
        done="Request closed. Thank you",
        then="champions:workspace",
    )


@never_cache
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    profile = queries.profile_for(request.user)
    if profile is None:
        # A champion role is given before the coordinator sets up the profile.
        return render(request, "champions/no_profile.html")
    initial = {
        "skills": profile.skills,
        "languages": profile.languages,
        "areas": list(profile.areas.all()),
        "ways": profile.ways,
        "availability": profile.availability,
        "max_active": profile.max_active,
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_with_form(
            form,
            services.update_profile,
            profile=profile,
            by=signed_in_user(request),
            skills=data["skills"],
            languages=data["languages"],
            areas=list(data["areas"]),
            ways=data["ways"],
            availability=data["availability"],
            max_active=data["max_active"],
        )
        if saved is not None:
            messages.success(request, "Your profile is saved")
            return redirect("champions:my_profile")
    return render(
        request,
        "champions/my_profile.html",
        {
            "profile": profile,
            "form": form,
            "pause_form": PauseForm(initial={"paused": "yes" if profile.paused else "no"}),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def pause(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    form = PauseForm(request.POST)
    if form.is_valid():
        services.set_paused(
            profile=profile,
            by=signed_in_user(request),
            paused=form.cleaned_data["paused"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            "You are paused: nobody will be assigned to you"
            if form.cleaned_data["paused"]
            else "You can be assigned requests again",
        )
    else:
        messages.error(request, "Select yes or no")
    return redirect("champions:my_profile")


@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def my_hours(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    minutes = queries.minutes_of(user)
    return render(
        request,
        "champions/my_hours.html",
        {
            "minutes": minutes,
            "by_month": queries.hours_by_month(champion=user),
            "milestones": [
                (h, minutes >= h * 60) for h in settings.FINGERPOST_CHAMPIONS_MILESTONE_HOURS
            ],
            "sessions": queries.recent_sessions_of(user),
        },
    )


def _certificate(request: HttpRequest, profile: ChampionProfile, hours: int) -> HttpResponse:
    minutes = queries.minutes_of(profile.user)
    if hours not in queries.milestones_reached(minutes):
        raise Http404("That milestone has not been reached")
    return render(
        request,
        "champions/certificate.html",
        {
            "profile": profile,
            "hours": hours,
            "total_hours": minutes // 60,
            "today": timezone.localdate(),
        },
    )


@login_required
@permission_required("champions.work_as_champion", raise_exception=True)
def my_certificate(request: HttpRequest, hours: int) -> HttpResponse:
    return _certificate(request, _own_profile(request), hours)


# ---------------------------------------------------------------- coordinators


@login_required
@permission_required("champions.coordinate", raise_exception=True)
def champion_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:100]
    page = Paginator(queries.champion_list(search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    warn = max(settings.FINGERPOST_CHAMPIONS_CHECK_WARNING_DAYS)
    return render(
        request,
        "champions/list.html",
        {
            "page": page,
            "search": search,
            "query": query_without(request, "page"),
            "today": today,
            "warn_before": date.fromordinal(today.toordinal() + warn),
            "quiet": queries.quiet_assignments()[:PAGE_SIZE],
            "no_session_days": settings.FINGERPOST_CHAMPIONS_NO_SESSION_DAYS,
            "set_up_form": SetUpProfileForm(),
        },
    )


@require_POST
@login_required
@permission_required("champions.coordinate", raise_exception=True)
def set_up(request: HttpRequest) -> HttpResponse:
    form = SetUpProfileForm(request.POST)
    if form.is_valid():
        profile = services.set_up_profile(
            user=form.cleaned_data["champion"],
            organisation=form.cleaned_data["organisation"],
            by=signed_in_user(request),
        )
        messages.success(request, "Profile set up: record a background check before assigning")
        return redirect("champions:detail", pk=profile.pk)
    messages.error(request, "Choose a champion and their host organisation")
    return redirect("champions:list")


def _profile_or_404(pk: int) -> ChampionProfile:
    profile = queries.champion_profile(pk)
    if profile is None:
        raise Http404("No such champion")
    return profile


@never_cache
@login_required
@permission_required("champions.coordinate", raise_exception=True)
def detail(
    request: HttpRequest, pk: int, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    profile = _profile_or_404(pk)
    minutes = getattr(profile, "minutes", 0)
    context = {
        "profile": profile,
        "training_form": TrainingForm(auto_id="training-%s"),
        "check_form": CheckForm(auto_id="check-%s"),
        "milestones": queries.milestones_reached(minutes),
        "by_month": queries.hours_by_month(champion=profile.user)[:12],
        "today": timezone.localdate(),
    }
    context.update(forms or {})
    return render(request, "champions/detail.html", context, status=status)


def _record(
    request: HttpRequest, pk: int, form_class: type, name: str, call: Any, done: str
) -> HttpResponse:
    profile = _profile_or_404(pk)
    form = form_class(request.POST, auto_id=f"{name.split('_')[0]}-%s")
    if form.is_valid():
        call_with_form(form, call, profile=profile, by=signed_in_user(request), **form.cleaned_data)
        if not form.errors:
            messages.success(request, done)
            return redirect("champions:detail", pk=pk)
    return detail(request, pk, {name: form, "form": form}, status=refused_page_status(form))


@require_POST
@login_required
@permission_required("champions.coordinate", raise_exception=True)
def add_training(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(
        request, pk, TrainingForm, "training_form", services.add_training, "Training recorded"
    )


@require_POST
@login_required
@permission_required("champions.coordinate", raise_exception=True)
def add_check(request: HttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, CheckForm, "check_form", services.add_check, "Check recorded")


@login_required
@permission_required("champions.coordinate", raise_exception=True)
def certificate(request: HttpRequest, pk: int, hours: int) -> HttpResponse:
    return _certificate(request, _profile_or_404(pk), hours)


def _visible_request(request: HttpRequest, reference: str) -> Any:
    return get_object_or_404(helpdesk_queries.records_visible_to(request.user), reference=reference)


@never_cache
@login_required
@permission_required("champions.coordinate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, reference: str) -> HttpResponse:
    help_request = _visible_request(request, reference)
    if request.method == "POST":
        form = AssignForm(request.POST)
        if form.is_valid():
            champion = queries.person_with_email_or_id(form.cleaned_data["champion"])
            with refusals_as_messages(request):
                if champion is None:
                    raise Invalid("Choose a champion")
                services.assign(
                    help_request=help_request,
                    champion=champion,
                    by=signed_in_user(request),
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, f"Offered to {champion}: they are asked to accept")
                return redirect(help_request)
        return redirect("champions:suggestions", reference=reference)
    days_form = DaysForm(request.GET or None)
    days = days_form.cleaned_data["days"] if days_form.is_valid() else []
    services.record_viewed(help_request, by=signed_in_user(request), via="champion suggestions")
    wanted = queries.wanted_for(help_request, days=days)
    ranking = queries.ranking_for(
        wanted,
        today=timezone.localdate(),
        weights=_weights(),
        limit=SHOWN_SUGGESTIONS,
        excluded_limit=SHOWN_EXCLUSIONS,
    )
    return render(
        request,
        "champions/suggestions.html",
        {
            "help_request": help_request,
            "needs": help_request.needs.all(),
            "wanted": wanted,
            "ranking": ranking,
            "days_form": days_form,
            "declines": queries.declines_of_request(help_request),
            "assignment": queries.live_assignment_of_request(help_request),
        },
    )


@never_cache
@login_required
@permission_required("champions.coordinate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    waiting, versions = queries.wanted_waiting(user)
    proposals = matching.propose(
        waiting, queries.candidates(), today=timezone.localdate(), weights=_weights()
    )[:SHOWN_PROPOSALS]
    choices = [
        (
            f"{p.wanted.reference}:{p.candidate.champion_id}:{versions[p.wanted.reference]}",
            p.wanted.reference,
        )
        for p in proposals
    ]
    form = ProposalForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        result = services.confirm_proposals(by=user, choices=form.cleaned_data["chosen"])
        if result.assigned:
            messages.success(request, f"{len(result.assigned)} request(s) offered to champions")
        for reference, why in result.refused:
            messages.error(request, f"{reference} was not assigned: {why}")
        return redirect("champions:propose")
    return render(
        request,
        "champions/propose.html",
        {
            "form": form,
            "rows": list(zip(proposals, [c[0] for c in choices], strict=True)),
            "waiting_count": len(waiting),
        },
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("champions.coordinate", raise_exception=True)
def interests(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", InterestStatus.NEW)
    if status not in InterestStatus.values:
        status = InterestStatus.NEW
    page = Paginator(queries.interests(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "champions/interests.html",
        {"page": page, "status": status, "statuses": InterestStatus.choices},
    )


@never_cache
@login_required
@permission_required("champions.coordinate", raise_exception=True)
@require_http_methods(["GET", "POST"])
def interest(request: HttpRequest, pk: int) -> HttpResponse:
    found: Interest = get_object_or_404(queries.interests(status=""), pk=pk)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "decline":
            with refusals_as_messages(request):
                services.not_taken_forward(interest=found, by=signed_in_user(request))
                messages.success(request, "Marked as not taken forward")
            return redirect("champions:interests")
        if form.is_valid():
            profile = call_with_form(
                form,
                services.invite,
                interest=found,
                by=signed_in_user(request),
                organisation=form.cleaned_data["organisation"],
            )
            if profile is not None:
                messages.success(
                    request, f"{found.name} is invited. Record their background check next"
                )
                return redirect("champions:detail", pk=profile.pk)
    return render(
        request,
        "champions/interest.html",
        {"interest": found, "form": form},
        status=refused_page_status(form) if form.errors else 200,
    )


@login_required
@permission_required("champions.coordinate", raise_exception=True)
def hours(request: HttpRequest) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    since = period.cleaned_data["since"] if period.is_valid() else None
    fmt = request.GET.get("format", "")
    if fmt:
        return spreadsheets.spreadsheet_response(
            fmt,
            filename="volunteer-hours",
            header=["Month", "Champion", "Organisation", "Sessions", "Hours"],
            rows=queries.hours_rows(since=since),
        )
    by_champion = queries.hours_by_champion(since=since)
    return render(
        request,
        "champions/hours.html",
        {
            "form": period,
            "total_minutes": sum(r["minutes"] for r in by_champion),
            "by_champion": by_champion[:PAGE_SIZE],
            "by_month": queries.hours_by_month(since=since)[:24],
            "by_organisation": queries.hours_by_organisation(since=since),
            "download_query": query_without(request, "format"),
        },
        status=400 if period.errors else 200,
    )
