"""Demo data for `fingerpost demo`: each app registers its step
(`registry.add_demo_step`); steps are idempotent and take the same scale."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from . import registry


def create_demo_data(*, scale: int = 1) -> dict[str, int]:
    if not settings.FINGERPOST_DEMO_ALLOWED:
        raise ImproperlyConfigured(
            "Demo data has public passwords and is never created in production settings."
        )
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    counts: dict[str, int] = {}
    with transaction.atomic():
        for step in registry.demo_steps():
            counts.update(step.run(scale=scale))
    return counts
