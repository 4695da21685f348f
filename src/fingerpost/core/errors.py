"""The errors services raise, and the one place each layer turns them into a response.

A service refuses with one of these, worded for the person who asked; it
never returns an HTTP status or knows which page called it. The API maps
them in one exception handler (`install_api_handlers`). Views use
`call_with_form` (a form gets the message at the field at fault, and
`refused_page_status` says what status the page shown again has),
`refusals_as_messages` (the message is shown on the next page), or let
`ServiceErrorMiddleware` turn the rest into the site's error pages.

    NotFound       404  nothing the caller may see has that name
    NotAllowed     403  the caller may see it but may not do this
    Conflict       409  it changed since the caller looked (stale), or the
                        state forbids it now (closed, already booked)
    Invalid        422  the input breaks a rule; `field` names the input at fault
    RateLimited    429  too many attempts; `retry_after` seconds
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from django.forms import BaseForm
    from ninja import NinjaAPI


class ServiceError(Exception):
    """A rule of the service was broken; `message` is shown to the person."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFound(ServiceError):
    status = 404


class NotAllowed(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Stale(Conflict):
    """Someone else changed the thing since the caller read it."""


class Invalid(ServiceError):
    status = 422


class RateLimited(ServiceError):
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def form_errors_from(form: BaseForm, error: ServiceError) -> None:
    """Show a service's refusal on the form: at the field at fault when the
    form has it, otherwise at the top of the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    form.refusal = error  # type: ignore[attr-defined]  # read by refused_page_status


def refused_page_status(form: BaseForm) -> int:
    """The status of a page that shows a refused form again: 409 when the
    thing changed meanwhile (or its state forbids the change), else 400."""
    return 409 if isinstance(getattr(form, "refusal", None), Conflict) else 400


def call_with_form(form: BaseForm, service: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Run `service(**kwargs)`; on an Invalid or Conflict refusal put its message on
    the form and return None (the view then shows the form again). Other
    refusals propagate to the middleware."""
    try:
        return service(**kwargs)
    except (Invalid, Conflict) as error:
        form_errors_from(form, error)
        return None


@contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[None]:
    """For a button that redirects: an Invalid or Conflict refusal inside the
    block becomes an error message on the next page, and the rest of the
    block does not run. Other refusals propagate to the middleware."""
    from django.contrib import messages

    try:
        yield
    except (Invalid, Conflict) as error:
        messages.error(request, error.message)


def install_api_handlers(api: NinjaAPI) -> None:
    """Every ServiceError becomes `{"detail": message}` with its status (and
    `field` when one is named); rate limits add `Retry-After`."""

    def handle(request: HttpRequest, error: Any) -> HttpResponse:
        assert isinstance(error, ServiceError)
        body: dict[str, Any] = {"detail": error.message}
        if error.field:
            body["field"] = error.field
        response = api.create_response(request, body, status=error.status)
        if isinstance(error, RateLimited):
            response["Retry-After"] = str(error.retry_after)
        return response

    api.add_exception_handler(ServiceError, handle)


class ServiceErrorMiddleware:
    """A refusal no view caught becomes the site's page for its status, so a
    service error never reaches the person as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ServiceError):
            return None
        from django.shortcuts import render

        template = {403: "403.html", 404: "404.html", 429: "429.html"}.get(
            exception.status, "400.html"
        )
        response = render(
            request, template, {"message": exception.message}, status=exception.status
        )
        if isinstance(exception, RateLimited):
            response["Retry-After"] = str(exception.retry_after)
        return response
