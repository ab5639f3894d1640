from django.db import migrations, models

from guanxi.core.migration_ops import postgresql_only


class Migration(migrations.Migration):

    dependencies = [
        ('parties', '0010_phone_number_column'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='contactpoint',
            index=models.Index(condition=models.Q(('number', ''), _negated=True), fields=['number'], name='contactpoint_number_idx'),
        ),
        # Fresh statistics for the planner: the new keys were filled in bulk just before.
        postgresql_only(['ANALYZE parties_contactpoint'], []),
    ]
