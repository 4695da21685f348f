import importlib

import pytest

from fingerpost.champions.models import ChampionProfile, Day, Skill, Way

from .factories import ready_champion

bits = importlib.import_module("fingerpost.champions.migrations.0003_profile_match_bits")


def test_the_migration_numbers_the_bits_as_the_model_does() -> None:
    assert (Skill.values, Way.values, Day.values) == (bits.SKILLS, bits.WAYS, bits.DAYS)


@pytest.mark.django_db
def test_the_migration_fills_every_profiles_bit_fields() -> None:
    from django.apps import apps

    user = ready_champion(skills=["transacting"], ways=["video"], availability=["fri_morning"])
    ChampionProfile.objects.filter(user=user).update(skill_bits=0, way_bits=0, day_bits=0)
    bits.fill(apps, None)
    profile = ChampionProfile.objects.get(user=user)
    assert (profile.skill_bits, profile.way_bits, profile.day_bits) == (1 << 2, 1 << 3, 1 << 4)
