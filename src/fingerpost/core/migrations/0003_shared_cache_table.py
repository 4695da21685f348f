from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    """The database cache's table (rate limits, allauth's limits and used
    two-factor codes), so `migrate` alone makes a working site. It does
    nothing when CACHE_URL names Redis; run `fingerpost createcachetable`
    after switching from Redis to the database cache."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_and_worker_heartbeats")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
