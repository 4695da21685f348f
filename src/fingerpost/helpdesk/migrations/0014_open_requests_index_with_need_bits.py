from django.db import migrations, models


class Migration(migrations.Migration):
    """The open requests' index carries the needs' bits (filled by 0013), so
    the queue's need filter and its count read the index alone; and the
    queue's order over the open requests, for a page's ids."""

    dependencies = [
        ("helpdesk", "0013_need_bits"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='helprequest',
            name='helpreq_open',
        ),
        migrations.AddIndex(
            model_name='helprequest',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['organisation', 'status', 'priority', 'created_at', 'town'], include=('id', 'need_bits'), name='helpreq_open'),
        ),
        migrations.AddIndex(
            model_name='helprequest',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['queue_rank', '-priority', 'created_at', 'id'], include=('organisation', 'status'), name='helpreq_open_queue'),
        ),
    ]
