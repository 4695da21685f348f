"""django-axes glue: the sign-in form calls its field `login`, and a locked
out person gets a clear GOV.UK-style page rather than a bare 403."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def username_from_credentials(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    credentials = credentials or {}
    login = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not login and request is not None and request.method == "POST":
        login = request.POST.get("login", "")
    return str(login or "").strip().lower()


def locked_out_response(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = TemplateResponse(
        request,
        "accounts/locked_out.html",
        {"cooloff_minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    return response.render()
