from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('parties', '0010_phone_number_column'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='contactpoint',
            index=models.Index(condition=models.Q(('number', ''), _negated=True), fields=['number'], name='contactpoint_number_idx'),
        ),
    ]
