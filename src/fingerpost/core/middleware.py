"""Requests answered before the rest of the middleware: health checks,
and requests no page can mean, refused before any view sees them."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

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
