"""Append-only triggers on every vendor, the chain head, and the Swedish full-text index."""

from django.db import migrations

from moderation import search, triggers


def create_chain_head(apps, schema_editor):
    ChainHead = apps.get_model("moderation", "ChainHead")
    ChainHead.objects.using(schema_editor.connection.alias).get_or_create(
        id=1, defaults={"sequence": 0, "last_hash": "0" * 64}
    )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [
        migrations.RunPython(triggers.migration_install, triggers.migration_uninstall),
        migrations.RunPython(create_chain_head, migrations.RunPython.noop),
        # PostgreSQL only: a GIN expression index; SQLite searches with icontains.
        migrations.RunPython(search.create_index, search.drop_index),
    ]
