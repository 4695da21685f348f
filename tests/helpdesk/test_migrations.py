import importlib

import pytest

migration = importlib.import_module("fingerpost.helpdesk.migrations.0005_phone_numbers_one_way")


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("+447700900123", "07700900123"),
        ("0044 7700 900123", "07700900123"),
        ("07700900123", "07700900123"),
        ("+33123456789", "+33123456789"),
    ],
)
def test_old_phone_numbers_are_written_the_one_way(stored: str, written: str) -> None:
    from fingerpost.core.text import phone_number

    assert migration._one_way(stored) == written == phone_number(stored)


@pytest.mark.django_db
def test_the_migration_rewrites_stored_numbers() -> None:
    from django.apps import apps

    from fingerpost.helpdesk.models import HelpRequest

    from ..factories import HelpRequestFactory

    old = HelpRequestFactory(phone="+447700900123")
    HelpRequestFactory(phone="")
    migration.rewrite_phone_numbers(apps, None)
    assert HelpRequest.objects.get(pk=old.pk).phone == "07700900123"
