"""The Open Referral UK feed's addresses, as the standard names them (no
trailing slash; one is accepted too)."""

from django.urls import path, re_path

from . import openreferral_views as views

app_name = "openreferral"

UUID = r"(?P<id>[^/]+)"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^services/?$", views.services, name="services"),
    re_path(rf"^services/{UUID}/?$", views.service, name="service"),
    re_path(r"^service_at_locations/?$", views.service_at_locations, name="service_at_locations"),
    re_path(
        rf"^service_at_locations/{UUID}/?$", views.service_at_location, name="service_at_location"
    ),
    re_path(r"^taxonomies/?$", views.taxonomies, name="taxonomies"),
    re_path(rf"^taxonomies/{UUID}/?$", views.taxonomy_detail, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", views.taxonomy_terms, name="taxonomy_terms"),
    re_path(rf"^taxonomy_terms/{UUID}/?$", views.taxonomy_term, name="taxonomy_term"),
]
