from django.db import migrations


SHIPPED = [
    "administrator",
    "executive",
    "sales_manager",
    "sales_rep",
    "marketing",
    "service_agent",
    "procurement_manager",
    "buyer",
]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for code in SHIPPED:
        Group.objects.get_or_create(name=code)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
