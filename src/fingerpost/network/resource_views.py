"""The resource library: browse, share a link or a file, change it, upload a
new version, and download (only for verified members)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe

from fingerpost.core.errors import NotAllowed, call_with_form
from fingerpost.core.views import signed_in_user

from . import queries
from .access import members_only, page_of
from .forms import SERVICE_STANDARD, ReplaceFileForm, ResourceFilterForm, ResourceForm
from .models import Resource
from .models.resources import ResourceKind
from .services import resources as resource_services

POINT_NAMES = dict(SERVICE_STANDARD)


def _resource(slug: str) -> Resource:
    found = queries.resource(slug)
    if found is None:
        raise Http404
    return found


@require_safe
@members_only
def resources(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    filters: dict[str, object] = {}
    if form.is_valid():
        filters = {
            "text": form.cleaned_data["q"],
            "discipline": form.cleaned_data["discipline"],
            "point": form.cleaned_data["point"],
        }
    tag = request.GET.get("tag", "")[:50]
    page = page_of(queries.resources(tag=tag, **filters), request)  # type: ignore[arg-type]
    query = urlencode({k: str(v) for k, v in {**filters, "tag": tag}.items() if v})
    return render(
        request,
        "network/resources.html",
        {"filters": form, "page": page, "query": query, "tag": tag},
    )


@require_http_methods(["GET", "POST"])
@members_only
def new_resource(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        details = {
            k: form.cleaned_data[k]
            for k in ("title", "summary", "url", "tags", "discipline", "standard_points")
        }
        resource = call_with_form(
            form,
            resource_services.share_resource,
            by=signed_in_user(request),
            details=details,
            upload=form.cleaned_data["file"],
        )
        if resource is not None:
            messages.success(request, f"“{resource.title}” is in the library.")
            return redirect(resource.get_absolute_url())
    return render(
        request,
        "network/resource_form.html",
        {"form": form, "multipart": True},
        status=400 if form.errors else 200,
    )


@require_safe
@members_only
def resource(request: HttpRequest, slug: str) -> HttpResponse:
    found = _resource(slug)
    return render(
        request,
        "network/resource.html",
        {
            "resource": found,
            "points": [(p, POINT_NAMES.get(p, str(p))) for p in found.standard_points],
            "may_change": resource_services.may_change(found, signed_in_user(request)),
        },
    )


@require_http_methods(["GET", "POST"])
@members_only
def edit_resource(request: HttpRequest, slug: str) -> HttpResponse:
    found = _resource(slug)
    user = signed_in_user(request)
    if not resource_services.may_change(found, user):
        raise NotAllowed("Only the person who shared it, or an organiser, can change it.")
    is_file = found.kind == ResourceKind.FILE
    initial = {
        "title": found.title,
        "summary": found.summary,
        "url": found.url,
        "tags": found.tags,
        "discipline": found.discipline,
        "standard_points": found.standard_points,
    }
    form = ResourceForm(request.POST or None, initial=initial, editing_file=is_file)
    if request.method == "POST" and form.is_valid():
        saved = call_with_form(
            form,
            resource_services.update_resource,
            resource=found,
            by=user,
            details=dict(form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, "The resource is saved.")
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "network/resource_form.html",
        {"form": form, "resource": found},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@members_only
def replace_file(request: HttpRequest, slug: str) -> HttpResponse:
    found = _resource(slug)
    user = signed_in_user(request)
    if not resource_services.may_change(found, user) or found.kind != ResourceKind.FILE:
        raise NotAllowed("Only the person who shared it, or an organiser, can replace the file.")
    form = ReplaceFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = call_with_form(
            form,
            resource_services.replace_file,
            resource=found,
            by=user,
            upload=form.cleaned_data["file"],
        )
        if version is not None:
            messages.success(request, f"Version {version.number} is uploaded.")
            return redirect(found.get_absolute_url())
    return render(
        request,
        "network/replace_file.html",
        {"form": form, "resource": found},
        status=400 if form.errors else 200,
    )


@require_safe
@members_only
def download(request: HttpRequest, slug: str, number: int | None = None) -> HttpResponseBase:
    """The file, read through the storage; never a public address."""
    return file_response(_resource(slug), number)


def file_response(found: Resource, number: int | None = None) -> HttpResponseBase:
    """A version of the resource's file (the current one unless `number`
    is given), streamed from the storage as an attachment; 404 if there is
    none. Callers check first that the person may see it."""
    versions = {v.number: v for v in found.versions.all()}
    version = versions.get(number) if number is not None else found.current_version
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.filename, content_type=version.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
