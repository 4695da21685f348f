"""Requests answered before the rest of the middleware: health checks,
and requests no page can mean, refused before any view sees them."""

from collections.abc import Callable
from functools import cached_property

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase

from .views import bad_request, healthz

NUL = "\x00"


class RejectNulCharacters:
    """A NUL character in the address, the query or a form is never typed by
    a person, and PostgreSQL refuses to store or even compare it (a 500).
    Answer 400 instead, whichever view the request was for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "The request contains a NUL character"}, status=400)
            return bad_request(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if NUL in request.path:
            return True
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            return True
        forms = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for values in forms:
            for key, items in values.lists():
                if NUL in key or any(NUL in item for item in items):
                    return True
        # JSON bodies spell it as an escape.
        content_type = request.content_type or ""
        return content_type.endswith("json") and b"\\u0000" in request.body


class AnswerHealthChecks:
    """A load balancer asks for /healthz every few seconds; it needs no
    session, user, CSRF, messages or security policy, so it is answered here,
    before them. The host is still checked against ALLOWED_HOSTS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == "/healthz":
            request.get_host()  # raises DisallowedHost (a 400) for a host not allowed
            return healthz(request)
        return self.get_response(request)


_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, but the header of a response that has no
    nonce and no policy of its own (nearly all of them) is built once per
    process: the settings do not change, and building it cost a tenth of a
    cheap request. Anything else takes django-csp's own way."""

    @cached_property
    def _fixed_headers(self) -> list[tuple[str, str]]:
        headers = [(HEADER, build_policy())]
        headers.append((HEADER_REPORT_ONLY, build_policy(report_only=True)))
        return [(name, value) for name, value in headers if value]

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _OWN_POLICY)
            or policy.get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        for name, value in self._fixed_headers:
            if name not in response:
                response[name] = value
        # As django-csp does: a nonce asked for after this point is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
