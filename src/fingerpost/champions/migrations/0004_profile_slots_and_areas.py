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
    """Every profile's free slots and area ids, a thousand at a time."""
    ChampionProfile = apps.get_model("champions", "ChampionProfile")
    through = ChampionProfile.areas.through
    areas = {}
    for profile_id, area_id in through.objects.values_list("championprofile_id", "area_id"):
        areas.setdefault(profile_id, set()).add(area_id)
    batch = []
    for profile in ChampionProfile.objects.only("pk", "availability").iterator(chunk_size=1000):
        profile.slot_bits = _slots(profile.availability)
        profile.area_ids = ",".join(str(a) for a in sorted(areas.get(profile.pk, ())))
        batch.append(profile)
        if len(batch) == 1000:
            ChampionProfile.objects.bulk_update(batch, ["slot_bits", "area_ids"])
            batch = []
    ChampionProfile.objects.bulk_update(batch, ["slot_bits", "area_ids"])


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
        migrations.AddField(
            model_name="championprofile",
            name="area_ids",
            field=models.CharField(blank=True, default="", editable=False, max_length=1000),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
