"""The JSON API under /api/v1/. Each app adds its own router."""

from ninja import NinjaAPI

from fingerpost.organisations.api import router as organisations_router

api = NinjaAPI(
    title="Fingerpost API",
    version="1",
    description="Events, digital help, lending and the partnership network.",
    urls_namespace="api",
)
api.add_router("/organisations", organisations_router)
