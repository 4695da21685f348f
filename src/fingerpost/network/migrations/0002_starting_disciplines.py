from django.db import migrations

STARTING = [
    ("customer-service", "Customer service"),
    ("business-change", "Business change"),
    ("ict", "ICT"),
    ("web-development", "Web development"),
    ("communications", "Communications"),
]


def add(apps, schema_editor):
    Discipline = apps.get_model("network", "Discipline")
    for order, (slug, name) in enumerate(STARTING, 1):
        Discipline.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("network", "0001_network")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
