from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from rules.contrib.views import permission_required

from fingerpost.core.errors import call_with_form, refusals_as_messages, refused_page_status
from fingerpost.core.views import signed_in_user

from . import services
from .forms import JoinForm
from .models import OrganisationKind
from .queries import (
    memberships_of,
    organisation_detail_queryset,
    organisation_list,
    pending_memberships_for,
    people_list,
)

PAGE_SIZE = 50


def organisation_index(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    if kind not in OrganisationKind.values:
        kind = ""
    page = Paginator(organisation_list(kind=kind or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "page": page,
            "kinds": OrganisationKind.choices,
            "kind": kind,
            "query": f"kind={kind}" if kind else "",
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    show_members = request.user.has_perm("organisations.view_members")
    organisation = get_object_or_404(
        organisation_detail_queryset(with_members=show_members), slug=slug
    )
    return render(
        request,
        "organisations/organisation_detail.html",
        {"organisation": organisation, "show_members": show_members},
    )


@login_required
@permission_required("organisations.view_people", raise_exception=True)
def people(request: HttpRequest) -> HttpResponse:
    page = Paginator(people_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/people_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Ask to join an organisation, and see what you have asked."""
    user = signed_in_user(request)
    form = JoinForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        membership = call_with_form(
            form,
            services.request_membership,
            user=user,
            organisation=form.cleaned_data["organisation"],
            job_title=form.cleaned_data["job_title"],
            by=user,
        )
        if membership is not None:
            messages.success(
                request,
                f"You have asked to join {membership.organisation.name}. We will email you "
                "when a coordinator or administrator has decided.",
            )
            return redirect("organisations:join")
    status = refused_page_status(form) if form.is_bound and form.errors else 200
    return render(
        request,
        "organisations/join.html",
        {"form": form, "memberships": memberships_of(user)},
        status=status,
    )


@login_required
@permission_required("organisations.approve_members", raise_exception=True)
def approvals(request: HttpRequest) -> HttpResponse:
    pending = pending_memberships_for(signed_in_user(request))
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organisations/approvals.html", {"page": page})


@login_required
@permission_required("organisations.approve_members", raise_exception=True)
@require_POST
def decide(request: HttpRequest, membership_id: int) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, "Choose approve or decline")
        return redirect("organisations:approvals")
    with refusals_as_messages(request):
        membership = services.decide_membership(
            membership_id=membership_id,
            approve=decision == "approve",
            by=signed_in_user(request),
        )
        messages.success(
            request,
            f"{membership.user.email} is now a member of {membership.organisation.name}"
            if decision == "approve"
            else f"You declined {membership.user.email}",
        )
    return redirect("organisations:approvals")
