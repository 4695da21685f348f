from django.db import migrations

# Only PostgreSQL has full-text vectors; elsewhere search matches words.
CREATE = "CREATE INDEX IF NOT EXISTS network_search_vector ON network_searchdocument USING gin (vector)"
DROP = "DROP INDEX IF EXISTS network_search_vector"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("network", "0002_starting_disciplines")]

    operations = [migrations.RunPython(create, drop)]
