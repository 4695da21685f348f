"""The one door to every network page: signed in and a verified member."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from rules.contrib.views import permission_required

PAGE_SIZE = 25


def members_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Anonymous visitors sign in first; accounts not yet verified get a 403."""

    @wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, *args, **kwargs)

    return login_required(permission_required("network.view", raise_exception=True)(inner))


def page_of(items: Any, request: HttpRequest, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))
