"""Demo skills-check results: a spread of answers across the Dorset towns, so
the public figures have something to show."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from fingerpost.organisations.models import Area

from .framework import AREAS
from .models import SkillsCheckResult

RESULTS_PER_SCALE = 40


def create_demo_data(*, scale: int) -> dict[str, int]:
    wanted = RESULTS_PER_SCALE * scale
    existing = SkillsCheckResult.objects.count()
    if existing < wanted:
        # Seeded: the same demo figures every time.
        chance = random.Random(7)  # noqa: S311 - demo data, not security
        areas: list[Area | None] = [*Area.objects.order_by("name")] or [None]
        now = timezone.now()
        SkillsCheckResult.objects.bulk_create(
            [
                SkillsCheckResult(
                    area=chance.choice(areas),
                    completed_at=now - timedelta(days=chance.randint(0, 180)),
                    **{
                        f"gaps_{area.key}": chance.choice([0, 0, 0, *range(len(area.tasks) + 1)])
                        for area in AREAS
                    },
                )
                for _ in range(existing, wanted)
            ]
        )
    return {"skills check results": SkillsCheckResult.objects.count()}
