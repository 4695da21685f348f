"""The directory as Open Referral UK (HSDS 3.0, UK profile) records.

Each published help location is one service ("Digital help at <place>")
delivered at one location; each published e-book service is a service with
no location. Records never carry null: a field with no value is left out,
as the standard's schemas allow. Identifiers are UUIDs: those a location
keeps, or derived from them (and from the site's address for organisations),
so they stay the same between requests.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse

from fingerpost.organisations.models import Organisation

from . import taxonomy
from .display import period_text
from .models import EbookService, HelpLocation, OpeningException, OpeningHours
from .taxonomy import NAMESPACE, Term

BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"
VERSION = "HSDS-UK-3.0"

Absolute = Callable[[str], str]
Record = dict[str, Any]


def derived_id(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def organisation_id(organisation: Organisation) -> str:
    return derived_id(f"{settings.FINGERPOST_SITE_URL}:organisation", organisation.pk)


def location_service_id(location: HelpLocation) -> str:
    return str(location.service_uuid)


def service_at_location_id(location: HelpLocation) -> str:
    return str(location.service_at_location_uuid)


def _compact(record: Record) -> Record:
    """Leave out fields with no value: the schemas allow a field to be missing, never null."""
    return {key: value for key, value in record.items() if value not in (None, "")}


def _timestamp(value: datetime) -> str:
    return value.isoformat()


# Taxonomy ----------------------------------------------------------------


def taxonomy_record(absolute: Absolute) -> Record:
    return {
        "id": str(taxonomy.TAXONOMY_ID),
        "name": taxonomy.TAXONOMY_NAME,
        "description": taxonomy.TAXONOMY_DESCRIPTION,
        "uri": absolute(reverse("openreferral:taxonomy", kwargs={"id": taxonomy.TAXONOMY_ID})),
        "version": taxonomy.TAXONOMY_VERSION,
    }


def term_record(term: Term, absolute: Absolute) -> Record:
    return _compact(
        {
            "id": str(term.id),
            "code": term.code,
            "name": term.name,
            "description": term.description,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": taxonomy.TAXONOMY_NAME,
            "taxonomy_id": str(taxonomy.TAXONOMY_ID),
            "term_uri": absolute(reverse("openreferral:taxonomy_term", kwargs={"id": term.id})),
            "language": "en",
        }
    )


def _attribute(term: Term, link_id: str, link_type: str, absolute: Absolute) -> Record:
    return {
        "id": derived_id(f"attribute:{link_id}", term.code),
        "link_id": link_id,
        "link_type": link_type,
        "link_entity": "service",
        "taxonomy_term_id": str(term.id),
        "taxonomy_term": term_record(term, absolute),
    }


# Organisations -----------------------------------------------------------


def organisation_record(organisation: Organisation) -> Record:
    description = organisation.description or (
        f"{organisation.name}, a partner in {settings.FINGERPOST_PARTNERSHIP_NAME}."
    )
    return _compact(
        {
            "id": organisation_id(organisation),
            "name": organisation.name,
            "description": description,
            "website": organisation.website,
            "parent_organization_id": (
                organisation_id(organisation.parent) if organisation.parent else None
            ),
        }
    )


# Services at help locations -----------------------------------------------


def _location_description(location: HelpLocation) -> str:
    if location.description:
        return location.description
    needs = [str(n.get_need_display()).lower() for n in location.needs.all()]
    offered = f": {', '.join(needs)}" if needs else ""
    return f"Free help to use phones, tablets, computers and the internet{offered}."


def location_service_summary(location: HelpLocation, absolute: Absolute) -> Record:
    """The one-to-one fields of a location's service (a list entry)."""
    return _compact(
        {
            "id": location_service_id(location),
            "organization_id": (
                organisation_id(location.organisation) if location.organisation else None
            ),
            "name": f"Digital help at {location.name}",
            "description": _location_description(location),
            "url": absolute(location.get_absolute_url()),
            "email": location.email,
            "status": "active",
            "fees_description": "Free",
            "last_modified": _timestamp(location.updated_at),
        }
    ) | (
        {"organization": organisation_record(location.organisation)}
        if location.organisation
        else {}
    )


def location_record(location: HelpLocation) -> Record:
    location_id = str(location.uuid)
    record = _compact(
        {
            "id": location_id,
            "location_type": "physical",
            "name": location.name,
            "description": location.description,
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
    record["addresses"] = [
        _compact(
            {
                "id": derived_id("address", location.uuid),
                "location_id": location_id,
                "address_1": location.address_line_1,
                "address_2": location.address_line_2,
                "city": location.town,
                "region": location.area.name if location.area else None,
            }
        )
        | {
            # Required by the schema even when unknown; an empty string is allowed.
            "state_province": location.county,
            "postal_code": location.postcode,
            "country": "GB",
            "address_type": "physical",
        }
    ]
    if location.accessibility:
        record["accessibility"] = [
            {
                "id": derived_id("accessibility", location.uuid),
                "location_id": location_id,
                "description": location.accessibility,
                "accessibility": location.accessibility,
            }
        ]
    if location.phone:
        record["phones"] = [_phone(location, location_id=location_id)]
    return record


def _phone(location: HelpLocation, **link: str) -> Record:
    return {
        "id": derived_id("phone", location.uuid),
        **link,
        "number": location.phone,
        "type": "voice",
    }


def _schedules(
    location: HelpLocation,
    hours: list[OpeningHours],
    exceptions: list[OpeningException],
    **link: str,
) -> list[Record]:
    weekly = [
        {
            "id": derived_id("schedule", f"{location.uuid}:{h.weekday}"),
            **link,
            "freq": "WEEKLY",
            "interval": 1,
            "byday": BYDAY[h.weekday],
            "opens_at": h.opens.strftime("%H:%M"),
            "closes_at": h.closes.strftime("%H:%M"),
            "description": f"{h.get_weekday_display()}: {period_text(h.opens, h.closes)}",
            "attending_type": "in_person",
        }
        for h in hours
    ]
    changed = []
    for e in exceptions:
        day = e.date.isoformat()
        entry: Record = {
            "id": derived_id("schedule", f"{location.uuid}:{day}"),
            **link,
            "valid_from": day,
            "valid_to": day,
            "dtstart": day,
            "attending_type": "in_person",
        }
        reason = f" ({e.reason})" if e.reason else ""
        if e.closed or e.opens is None or e.closes is None:
            entry["description"] = f"Closed on {e.date:%d %B %Y}{reason}"
        else:
            entry["opens_at"] = e.opens.strftime("%H:%M")
            entry["closes_at"] = e.closes.strftime("%H:%M")
            entry["description"] = f"{e.date:%d %B %Y}: {period_text(e.opens, e.closes)}{reason}"
        changed.append(entry)
    return weekly + changed


def _need_terms(location: HelpLocation) -> list[Term]:
    return [taxonomy.term_by_code(n.need) for n in location.needs.all()]


def service_at_location_summary(location: HelpLocation, absolute: Absolute) -> Record:
    return {
        "id": service_at_location_id(location),
        "service_id": location_service_id(location),
        "location_id": str(location.uuid),
        "location": location_record(location),
        "service": location_service_summary(location, absolute),
    }


def service_at_location_full(
    location: HelpLocation, exceptions: list[OpeningException], absolute: Absolute
) -> Record:
    sal_id = service_at_location_id(location)
    record = service_at_location_summary(location, absolute)
    service = record["service"]
    # The profile's OpenAPI document points this endpoint at the service
    # schema as well as the service_at_location one, so the record also
    # carries the service's required name and status.
    record["name"] = service["name"]
    record["status"] = service["status"]
    record["schedules"] = _schedules(
        location, list(location.opening_hours.all()), exceptions, service_at_location_id=sal_id
    )
    if location.phone:
        record["phones"] = [_phone(location, service_at_location_id=sal_id)]
    return record


def location_service_full(
    location: HelpLocation, exceptions: list[OpeningException], absolute: Absolute
) -> Record:
    service_id = location_service_id(location)
    record = location_service_summary(location, absolute)
    record["service_at_locations"] = [
        {
            "id": service_at_location_id(location),
            "service_id": service_id,
            "location_id": str(location.uuid),
            "location": location_record(location),
        }
    ]
    record["schedules"] = _schedules(
        location, list(location.opening_hours.all()), exceptions, service_id=service_id
    )
    record["phones"] = [_phone(location, service_id=service_id)] if location.phone else []
    record["languages"] = [
        {
            "id": derived_id(f"language:{location.uuid}", name.casefold()),
            "service_id": service_id,
            "name": name,
        }
        for name in location.language_list
    ]
    record["service_areas"] = (
        [
            {
                "id": derived_id("service_area", f"{location.uuid}:{location.area.pk}"),
                "service_id": service_id,
                "name": location.area.name,
                "service_area": location.area.name,
                "extent_type": "postcode_districts",
                "extent": " ".join(d.code for d in location.area.districts.all()),
            }
        ]
        if location.area
        else []
    )
    record["contacts"] = []
    record["funding"] = []
    record["cost_options"] = []
    record["attributes"] = [
        _attribute(term, service_id, "taxonomy", absolute) for term in _need_terms(location)
    ]
    if location.booking_required:
        record["application_process"] = location.how_to_book or "Booking is needed."
    return record


# E-book services ---------------------------------------------------------


def ebook_service_summary(service: EbookService, absolute: Absolute) -> Record:
    return _compact(
        {
            "id": str(service.uuid),
            "organization_id": organisation_id(service.organisation),
            "name": service.name,
            "description": service.description or str(service.get_kind_display()),
            "url": service.url,
            "status": "active",
            "fees_description": "Free with a library card",
            "application_process": service.how_to_join,
            "last_modified": _timestamp(service.updated_at),
        }
    ) | {"organization": organisation_record(service.organisation)}


def ebook_service_full(service: EbookService, absolute: Absolute) -> Record:
    service_id = str(service.uuid)
    record = ebook_service_summary(service, absolute)
    record.update(
        {
            "service_at_locations": [],
            "schedules": [],
            "phones": [],
            "languages": [],
            "service_areas": [],
            "contacts": [],
            "funding": [],
            "cost_options": [],
            "attributes": [
                _attribute(taxonomy.term_by_code(service.kind), service_id, "taxonomy", absolute)
            ],
        }
    )
    return record


# Reads -------------------------------------------------------------------


def feed_locations() -> QuerySet[HelpLocation]:
    return (
        HelpLocation.objects.filter(is_published=True)
        .select_related("organisation__parent", "area")
        .prefetch_related("needs", "opening_hours", "area__districts")
        .order_by("name", "pk")
    )


def feed_ebook_services() -> QuerySet[EbookService]:
    return (
        EbookService.objects.filter(is_published=True)
        .select_related("organisation__parent")
        .order_by("name", "pk")
    )


def filter_by_text(
    locations: QuerySet[HelpLocation], ebooks: QuerySet[EbookService], text: str
) -> tuple[QuerySet[HelpLocation], QuerySet[EbookService]]:
    for word in text.split():
        locations = locations.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(town__icontains=word)
            | Q(organisation__name__icontains=word)
        )
        ebooks = ebooks.filter(
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return locations, ebooks


def filter_by_term(
    locations: QuerySet[HelpLocation], ebooks: QuerySet[EbookService], term: Term | None
) -> tuple[QuerySet[HelpLocation], QuerySet[EbookService]]:
    if term is None:
        return locations.none(), ebooks.none()
    if term.code == taxonomy.DIGITAL_SUPPORT:
        return locations, ebooks.none()
    if term.code == taxonomy.ONLINE_LIBRARY:
        return locations.none(), ebooks
    if term.parent == taxonomy.DIGITAL_SUPPORT:
        return locations.filter(needs__need=term.code), ebooks.none()
    return locations.none(), ebooks.filter(kind=term.code)


def exceptions_for(location: HelpLocation) -> list[OpeningException]:
    from .queries import coming_exceptions

    return coming_exceptions(location)
