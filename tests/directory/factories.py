"""Factories for the directory: areas with postcode districts, help locations
with opening hours, and e-book services."""

from __future__ import annotations

from datetime import time
from typing import Any

import factory

from fingerpost.directory.models import (
    EbookService,
    HelpLocation,
    HelpLocationNeed,
    OpeningHours,
)
from fingerpost.organisations.models import Area, PostcodeDistrict

from ..factories import OrganisationFactory


def dorset_areas() -> dict[str, Area]:
    """Weymouth (DT3, DT4), Dorchester (DT1, DT2) and Blandford Forum (DT11)."""
    rows = [
        ("Weymouth", "", [("DT3", 50.642, -2.456), ("DT4", 50.611, -2.474)]),
        ("Dorchester", "", [("DT1", 50.7154, -2.4367), ("DT2", 50.739, -2.403)]),
        ("Blandford Forum", "Blandford", [("DT11", 50.86, -2.164)]),
    ]
    areas = {}
    for name, other, districts in rows:
        area, _ = Area.objects.get_or_create(
            slug=name.lower().replace(" ", "-"), defaults={"name": name, "other_names": other}
        )
        for code, lat, lng in districts:
            PostcodeDistrict.objects.get_or_create(
                code=code, defaults={"area": area, "latitude": lat, "longitude": lng}
            )
        areas[name] = area
    return areas


class HelpLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpLocation
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, kind="library")
    name = factory.Sequence(lambda n: f"Help place {n}")
    slug = factory.Sequence(lambda n: f"help-place-{n}")
    address_line_1 = "1 High Street"
    town = "Weymouth"
    county = "Dorset"
    postcode = "DT4 8NN"
    latitude = 50.6098
    longitude = -2.4571
    phone = "01305 000000"
    accessibility = "Step-free entrance."
    languages = "English, Polish"

    @factory.post_generation
    def needs(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        for need in extracted if extracted is not None else ["video_calls", "email"]:
            HelpLocationNeed.objects.create(location=self, need=need)

    @factory.post_generation
    def hours(
        self, create: bool, extracted: dict[int, tuple[str, str]] | None, **kwargs: Any
    ) -> None:
        for weekday, (opens, closes) in (extracted or {0: ("09:30", "17:00")}).items():
            OpeningHours.objects.create(
                location=self,
                weekday=weekday,
                opens=time.fromisoformat(opens),
                closes=time.fromisoformat(closes),
            )


class EbookServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EbookService

    organisation = factory.SubFactory(OrganisationFactory, kind="library")
    name = factory.Sequence(lambda n: f"Library e-books {n}")
    kind = "ebooks"
    description = "Books to borrow on your phone."
    how_to_join = "Sign in with your library card number and PIN."
    device_needed = "A phone or tablet with the free app."
    url = "https://www.example.org/ebooks"
