"""Find digital help near you (no account needed), a location's page, the
library's e-books page, and coordinators' pages for keeping locations current."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from fingerpost.core.errors import call_with_form
from fingerpost.helpdesk.models import Need
from fingerpost.helpdesk.public_views import start_request_with_needs

from . import queries, services
from .display import exception_text, weekly_hours
from .forms import ExceptionForm, FindHelpForm, HoursForm, LocationForm
from .models import OpeningException, Weekday


@require_safe
def find_help(request: HttpRequest) -> HttpResponse:
    """The search: by town or postcode district, and by what help is needed."""
    searched = "place" in request.GET or "need" in request.GET
    form = FindHelpForm(request.GET if searched else None)
    results = None
    need_label = ""
    if searched and form.is_valid():
        need = form.cleaned_data["need"]
        need_label = str(dict(Need.choices).get(need, "")) if need else ""
        results = queries.find_locations(place=form.found_place, need=need)
    return render(
        request,
        "directory/find_help.html",
        {
            "form": form,
            "results": results,
            "place": form.found_place if results is not None else None,
            "need_label": need_label,
            "need": form.cleaned_data.get("need", "") if results is not None else "",
        },
    )


@require_POST
def ask_for_help(request: HttpRequest) -> HttpResponse:
    """From the search: ask for help, with the help searched for already chosen."""
    need = request.POST.get("need", "")
    return redirect(start_request_with_needs(request, needs=[need] if need else []))


@require_safe
def location(request: HttpRequest, slug: str) -> HttpResponse:
    help_location = get_object_or_404(queries.public_location(slug))
    exceptions = queries.coming_exceptions(help_location)
    return render(
        request,
        "directory/location.html",
        {
            "location": help_location,
            "hours": weekly_hours(help_location),
            "exceptions": [(e, exception_text(e)) for e in exceptions],
            "sessions": queries.location_sessions(help_location),
            "ebooks": list(queries.ebook_services(organisation=help_location.organisation))
            if help_location.organisation
            else [],
        },
    )


@require_safe
def ebooks(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/ebooks.html", {"services": list(queries.ebook_services())})


@login_required
@permission_required("directory.manage_locations", raise_exception=True)
@require_safe
def manage_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    locations = [(loc, loc.is_stale(now)) for loc in queries.locations_managed_by(request.user)]
    return render(
        request,
        "directory/manage_list.html",
        {"locations": locations, "stale_count": sum(1 for _, stale in locations if stale)},
    )


@login_required
@permission_required("directory.manage_locations", raise_exception=True)
@require_http_methods(["GET", "POST"])
def manage_location(request: HttpRequest, slug: str) -> HttpResponse:
    help_location = get_object_or_404(queries.locations_managed_by(request.user), slug=slug)
    form = LocationForm(request.POST or None, instance=help_location)
    if request.method == "POST" and form.is_valid():
        details = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
        saved = call_with_form(
            form,  # type: ignore[arg-type]  # a ModelForm is a form here
            services.update_location,
            location=help_location,
            by=request.user,
            details=details,
            needs=form.cleaned_data["needs"],
        )
        if saved is not None:
            messages.success(request, f"The details of {saved.name} are saved.")
            return redirect("directory:manage_location", slug=saved.slug)
    return render(
        request,
        "directory/manage_location.html",
        {
            "location": help_location,
            "form": form,
            "is_stale": help_location.is_stale(),
            "hours": weekly_hours(help_location),
            "exceptions": [
                (e, exception_text(e)) for e in queries.coming_exceptions(help_location)
            ],
        },
    )


@login_required
@permission_required("directory.manage_locations", raise_exception=True)
@require_POST
def confirm_location(request: HttpRequest, slug: str) -> HttpResponse:
    help_location = get_object_or_404(queries.locations_managed_by(request.user), slug=slug)
    services.confirm_location(location=help_location, by=request.user)
    messages.success(request, f"You confirmed the details of {help_location.name} are correct.")
    return redirect("directory:manage_location", slug=slug)


@login_required
@permission_required("directory.manage_locations", raise_exception=True)
@require_http_methods(["GET", "POST"])
def manage_hours(request: HttpRequest, slug: str) -> HttpResponse:
    help_location = get_object_or_404(queries.locations_managed_by(request.user), slug=slug)
    initial = {}
    for hours in help_location.opening_hours.all():
        initial[f"opens_{hours.weekday}"] = hours.opens
        initial[f"closes_{hours.weekday}"] = hours.closes
    form = HoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form,
            services.set_opening_hours,
            location=help_location,
            by=request.user,
            hours=form.hours(),
        )
        if saved is not None:
            messages.success(request, f"The opening hours of {help_location.name} are saved.")
            return redirect("directory:manage_location", slug=slug)
    days = [(label, form[f"opens_{day}"], form[f"closes_{day}"]) for day, label in Weekday.choices]
    return render(
        request,
        "directory/manage_hours.html",
        {"location": help_location, "form": form, "days": days},
    )


@login_required
@permission_required("directory.manage_locations", raise_exception=True)
@require_http_methods(["GET", "POST"])
def add_exception(request: HttpRequest, slug: str) -> HttpResponse:
    help_location = get_object_or_404(queries.locations_managed_by(request.user), slug=slug)
    form = ExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = call_with_form(
            form,
            services.add_opening_exception,
            location=help_location,
            by=request.user,
            on=data["date"],
            closed=data["closed"],
            opens=data["opens"],
            closes=data["closes"],
            reason=data["reason"],
        )
        if saved is not None:
            messages.success(request, "The change to the opening hours is saved.")
            return redirect("directory:manage_location", slug=slug)
    return render(
        request, "directory/manage_exception.html", {"location": help_location, "form": form}
    )


@login_required
@permission_required("directory.manage_locations", raise_exception=True)
@require_POST
def remove_exception(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    help_location = get_object_or_404(queries.locations_managed_by(request.user), slug=slug)
    exception = get_object_or_404(OpeningException.objects.filter(location=help_location), pk=pk)
    services.remove_opening_exception(exception=exception, by=request.user)
    messages.success(request, "The change to the opening hours is removed.")
    return redirect("directory:manage_location", slug=slug)
