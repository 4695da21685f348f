"""Demo data for `fingerpost demo`. Each app that has demo data adds its
step here; steps are idempotent and take the same scale factor."""

from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

DEMO_STEPS = [
    "fingerpost.organisations.demo.create_demo_data",
    "fingerpost.events.demo.create_demo_data",
    "fingerpost.helpdesk.demo.create_demo_data",
]


def _load(path: str) -> Callable[..., dict[str, int]]:
    module, name = path.rsplit(".", 1)
    step: Callable[..., dict[str, int]] = getattr(import_module(module), name)
    return step


def create_demo_data(*, scale: int = 1) -> dict[str, int]:
    if not settings.FINGERPOST_DEMO_ALLOWED:
        raise ImproperlyConfigured(
            "Demo data has public passwords and is never created in production settings."
        )
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    counts: dict[str, int] = {}
    with transaction.atomic():
        for path in DEMO_STEPS:
            counts.update(_load(path)(scale=scale))
    return counts
