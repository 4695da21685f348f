"""The network's home, who's who, your profile and email choices, search,
and the one-click unsubscribe link."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from fingerpost.core.errors import NotAllowed, call_with_form
from fingerpost.core.views import signed_in_user
from fingerpost.organisations.models import Organisation

from . import notifications, queries
from .access import members_only, page_of
from .forms import ChoicesForm, OrganisationOfferForm, PeopleSearchForm, ProfileForm, SearchForm
from .models import Profile
from .services import people as people_services

SEARCH_PAGE_SIZE = 20


@require_safe
@members_only
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    profile = people_services.ensure_profile(user=user)
    return render(
        request,
        "network/home.html",
        {
            "profile": profile,
            "topics": list(queries.topics()[:5]),
            "resources": list(queries.resources()[:5]),
            "disciplines": list(queries.disciplines()),
            "search_form": SearchForm(),
        },
    )


@require_safe
@members_only
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    filters = {"text": "", "discipline": "", "organisation": ""}
    if form.is_valid():
        filters = {
            "text": form.cleaned_data["q"],
            "discipline": form.cleaned_data["discipline"],
            "organisation": form.cleaned_data["organisation"],
        }
    page = page_of(queries.people(**filters), request)
    query = urlencode(
        {
            k: v
            for k, v in (
                ("q", filters["text"]),
                ("discipline", filters["discipline"]),
                ("organisation", filters["organisation"]),
            )
            if v
        }
    )
    return render(
        request,
        "network/people.html",
        {
            "form": form if form.is_bound and form.errors else None,
            "search": form,
            "page": page,
            "query": query,
            "searched": any(filters.values()),
        },
    )


@require_safe
@members_only
def person(request: HttpRequest, handle: str) -> HttpResponse:
    profile = queries.person(handle)
    if profile is None:
        raise Http404
    return render(
        request,
        "network/person.html",
        {"person": profile, "is_me": profile.user_id == request.user.pk},
    )


@require_http_methods(["GET", "POST"])
@members_only
def edit_profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    profile = people_services.ensure_profile(user=user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form,  # type: ignore[arg-type]
            people_services.update_profile,
            profile=profile,
            by=user,
            details={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        if saved is not None:
            messages.success(request, "Your profile is saved.")
            return redirect(saved.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "network/profile_form.html", {"form": form, "profile": profile}, status=status
    )


@require_http_methods(["GET", "POST"])
@members_only
def choices(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    profile = people_services.ensure_profile(user=user)
    form = ChoicesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        people_services.update_choices(profile=profile, by=user, choices=form.cleaned_data)
        messages.success(request, "Your email choices are saved.")
        return redirect("network:choices")
    return render(request, "network/choices.html", {"form": form})


@require_http_methods(["GET", "POST"])
@members_only
def organisation_offer(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    user = signed_in_user(request)
    if not user.has_perm("network.edit_organisation", organisation):
        raise NotAllowed("Only people from the organisation, and organisers, can change this.")
    offer = queries.organisation_offer(organisation)
    initial = (
        {f: getattr(offer, f) for f in ("offers", "contact_name", "contact_email", "contact_phone")}
        if offer
        else {}
    )
    form = OrganisationOfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        people_services.update_organisation_profile(
            organisation=organisation, by=user, details=form.cleaned_data
        )
        messages.success(request, f"What {organisation.name} offers is saved.")
        return redirect(organisation.get_absolute_url())
    return render(
        request,
        "network/organisation_offer.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@require_safe
@members_only
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    text, kind = "", ""
    if form.is_valid():
        text, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page = None
    events: list[object] = []
    if text:
        if kind != "event":
            page = page_of(queries.search(text, kind=kind), request, SEARCH_PAGE_SIZE)
        if kind in ("", "event"):
            events = queries.search_events(text)
    return render(
        request,
        "network/search.html",
        {
            "search": form,
            "text": text,
            "kind": kind,
            "page": page,
            "events": events,
            "kinds": queries.SEARCH_KINDS,
            "query": urlencode({"q": text, "kind": kind}),
        },
    )


def _unsubscribing(token: str) -> tuple[Profile, str]:
    found = notifications.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    user_id, kind = found
    profile = Profile.objects.select_related("user").filter(user_id=user_id).first()
    if profile is None:
        raise Http404
    return profile, kind


KIND_TEXT = {
    "digest": "the weekly digest",
    "mention": "emails when someone mentions you",
    "reply": "emails about replies to your posts",
    "followed": "emails about new posts in topics you follow",
}


# Mail clients post here with no cookies and no CSRF token (RFC 8058); the
# signed token in the address is what says who it is.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    profile, kind = _unsubscribing(token)
    if request.method == "POST":
        people_services.update_choices(
            profile=profile, by=None, choices={notifications.CHOICE_FOR_KIND[kind]: False}
        )
        return render(request, "network/unsubscribed.html", {"what": KIND_TEXT[kind]})
    return render(
        request,
        "network/unsubscribe.html",
        {
            "what": KIND_TEXT[kind],
            "action": reverse("network:unsubscribe", kwargs={"token": token}),
        },
    )
