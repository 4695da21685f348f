"""Demo help locations for the library branches and a community drop-in, with
opening hours and closures over Christmas, and the library's e-book services."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from fingerpost.organisations.models import Organisation

from .models import EbookService, HelpLocation, HelpLocationNeed, OpeningException, OpeningHours
from .services import place_from_postcode

DEMO_FILE = Path(__file__).parent / "data" / "demo_locations.json"
DETAIL_FIELDS = [
    "description",
    "address_line_1",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "phone",
    "accessibility",
    "languages",
    "booking_required",
    "how_to_book",
]


def create_demo_data(*, scale: int) -> dict[str, int]:
    data = json.loads(DEMO_FILE.read_text())
    organisations = {o.slug: o for o in Organisation.objects.all()}
    for row in data["locations"]:
        _create_location(row, organisations.get(row["organisation"]))
    for row in data["ebook_services"]:
        organisation = organisations.get(row["organisation"])
        if organisation is None:
            continue
        EbookService.objects.update_or_create(
            organisation=organisation,
            name=row["name"],
            defaults={
                key: row[key]
                for key in ("kind", "description", "how_to_join", "device_needed", "url")
            },
        )
    return {
        "help locations": HelpLocation.objects.count(),
        "e-book services": EbookService.objects.count(),
    }


def _create_location(row: dict[str, Any], organisation: Organisation | None) -> None:
    location = HelpLocation.objects.filter(slug=slugify(row["name"])).first() or HelpLocation(
        slug=slugify(row["name"])
    )
    location.name = row["name"]
    location.organisation = organisation
    location.county = "Dorset"
    for name in DETAIL_FIELDS:
        if name in row:
            setattr(location, name, row[name])
    place_from_postcode(location)
    location.save()
    HelpLocationNeed.objects.bulk_create(
        [HelpLocationNeed(location=location, need=need) for need in row["needs"]],
        ignore_conflicts=True,
    )
    for weekday, (opens, closes) in row["hours"].items():
        OpeningHours.objects.update_or_create(
            location=location,
            weekday=int(weekday),
            defaults={"opens": time.fromisoformat(opens), "closes": time.fromisoformat(closes)},
        )
    for day, reason in _christmas():
        OpeningException.objects.get_or_create(
            location=location, date=day, defaults={"closed": True, "reason": reason}
        )


def _christmas() -> list[tuple[date, str]]:
    """The next Christmas and Boxing Day (bank holidays), whichever year they fall in."""
    today = timezone.localdate()
    year = today.year if today <= date(today.year, 12, 26) else today.year + 1
    return [(date(year, 12, 25), "Christmas Day"), (date(year, 12, 26), "Boxing Day")]
