from django.db import migrations


def seed(apps, schema_editor):
    from registry.catalogue import ensure_catalogue

    ensure_catalogue(apps.get_model("registry", "Platform"), apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
