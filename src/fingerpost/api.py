"""The JSON API under /api/v1/. Each app adds its own router."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from fingerpost.champions.api import router as champions_router
from fingerpost.core.api_common import StrictParser
from fingerpost.core.errors import install_api_handlers
from fingerpost.core.views import SERVER_ERROR_DETAIL
from fingerpost.events.api import router as events_router
from fingerpost.helpdesk.api import router as helpdesk_router
from fingerpost.insights.api import router as insights_router
from fingerpost.lending.api import router as lending_router
from fingerpost.network.api import router as network_router
from fingerpost.organisations.api import router as organisations_router
from fingerpost.quiz.api import router as quiz_router

api = NinjaAPI(
    title="Fingerpost API",
    version="1",
    description=(
        "Events, digital help, lending and the partnership network. The directory of "
        "places to get digital help is published separately as an Open Referral UK "
        "(version 3) feed at /openreferral/ (services, service_at_locations, "
        "taxonomies, taxonomy_terms), open to any website."
    ),
    urls_namespace="api",
    parser=StrictParser(),
    docs_url=None,  # served as a GOV.UK page instead (api_docs.py)
)
install_api_handlers(api)
api.add_router("/organisations", organisations_router)
api.add_router("/events", events_router)
api.add_router("/help-requests", helpdesk_router)
api.add_router("/lending", lending_router)
api.add_router("/champions", champions_router)
api.add_router("/quiz", quiz_router)
api.add_router("/network", network_router)
api.add_router("/insights", insights_router)


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Every error is JSON, a crash included. A database that is away for a
    moment is a 503: the client can retry (with its Idempotency-Key)."""
    logging.getLogger("django.request").error(
        "API error on %s", request.path, exc_info=exc, extra={"status_code": 500}
    )
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = api.create_response(
            request, {"detail": "The service is busy for a moment. Try again"}, status=503
        )
        response["Retry-After"] = "2"
        return response
    return api.create_response(request, {"detail": SERVER_ERROR_DETAIL}, status=500)
