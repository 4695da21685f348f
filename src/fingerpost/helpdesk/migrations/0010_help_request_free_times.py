from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("helpdesk", "0009_assignment_accepted_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="free_days",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="helprequest",
            name="free_parts",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
