from django.db import migrations, models

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PARTS = ["morning", "afternoon", "evening"]


def _slots(values):
    mask = 0
    for value in values or []:
        day, _, part = str(value).partition("_")
        if day in DAYS and part in PARTS:
            mask |= 1 << (DAYS.index(day) * len(PARTS) + PARTS.index(part))
    return mask


def fill(apps, schema_editor):
    """Every profile's free slots from its availability, a thousand at a time."""
    ChampionProfile = apps.get_model("champions", "ChampionProfile")
    batch = []
    for profile in ChampionProfile.objects.only("pk", "availability").iterator(chunk_size=1000):
        profile.slot_bits = _slots(profile.availability)
        batch.append(profile)
        if len(batch) == 1000:
            ChampionProfile.objects.bulk_update(batch, ["slot_bits"])
            batch = []
    ChampionProfile.objects.bulk_update(batch, ["slot_bits"])


class Migration(migrations.Migration):

    dependencies = [
        ("champions", "0003_profile_match_bits"),
    ]

    operations = [
        migrations.AddField(
            model_name="championprofile",
            name="slot_bits",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
