"""The JSON API under /api/v1/. Each app adds its own router."""

from ninja import NinjaAPI

from fingerpost.core.errors import install_api_handlers
from fingerpost.events.api import router as events_router
from fingerpost.helpdesk.api import router as helpdesk_router
from fingerpost.organisations.api import router as organisations_router

api = NinjaAPI(
    title="Fingerpost API",
    version="1",
    description="Events, digital help, lending and the partnership network.",
    urls_namespace="api",
)
install_api_handlers(api)
api.add_router("/organisations", organisations_router)
api.add_router("/events", events_router)
api.add_router("/help-requests", helpdesk_router)
