from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from fingerpost.accounts.models import User

from . import outbox, registry
from .dashboard import dashboard_sections_for
from .worker import alive_workers


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": registry.home_panels()})


def signed_in_user(request: HttpRequest) -> User:
    """The person signed in, for views behind `login_required`."""
    user = request.user
    assert isinstance(user, User)  # login_required guarantees a signed-in user
    return user


def user_if_signed_in(request: HttpRequest) -> User | None:
    """The person signed in, or None for a visitor (residents need no account)."""
    user = request.user
    return user if isinstance(user, User) else None


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    sections = dashboard_sections_for(signed_in_user(request))
    return render(request, "core/dashboard.html", {"sections": sections})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def database_answers() -> bool:
    """One round trip to the database. This SELECT 1 is the very check Django
    makes before reusing a kept connection (CONN_HEALTH_CHECKS), so it goes
    straight to the driver instead of paying for both; a kept connection that
    went stale (the database restarted) is replaced once before giving up."""
    for _ in range(2):
        try:
            connection.ensure_connection()
            connection.connection.execute("SELECT 1")
        except Exception:
            connection.close()
            continue
        return True
    return False


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the app and its database answer; 503 when the database does not.
    It is answered before most middleware (core.middleware.AnswerHealthChecks)."""
    if not database_answers():
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def worker_health(request: HttpRequest) -> JsonResponse:
    """200 when a `fingerpost worker` wrote its heartbeat within
    FINGERPOST_WORKER_STALE_SECONDS; 503 when none did (or the database is
    away). The body says how much mail is waiting and how much has failed."""
    try:
        workers = alive_workers()
        delivery = outbox.delivery_summary()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    body = {
        "status": "ok" if workers else "error",
        "workers": len(workers),
        "seconds_since_seen": min(
            (int((timezone.now() - w.seen_at).total_seconds()) for w in workers), default=None
        ),
        "messages": delivery,
    }
    return JsonResponse(body, status=200 if workers else 503)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, detail: str) -> JsonResponse:
    """The API's one error body (core/api_common.ErrorOut), for errors raised
    before or outside its routers."""
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return api_error(400, "Bad request")
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return api_error(403, "You do not have permission to do this")
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return api_error(404, "Not found")
    return render(request, "404.html", status=404)


SERVER_ERROR_DETAIL = "Sorry, something went wrong. Try again in a moment"


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    # No context processors, database or static manifest: any of them may be
    # what failed. The unhashed stylesheet is served too.
    if _is_api(request):
        return api_error(500, SERVER_ERROR_DETAIL)
    template = loader.get_template("500.html")
    context = {"service_name": settings.FINGERPOST_SERVICE_NAME, "static_url": settings.STATIC_URL}
    return HttpResponse(template.render(context), status=500)


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string without `names` (such as "page"), for links
    that add their own: `?{% if query %}{{ query }}&amp;{% endif %}page=2`."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()
