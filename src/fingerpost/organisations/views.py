from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from rules.contrib.views import permission_required

from .models import OrganisationKind
from .queries import organisation_detail_queryset, organisation_list, people_list

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
