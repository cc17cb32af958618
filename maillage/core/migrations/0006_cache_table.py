"""The table of the database cache (`maillage_cache`), the default cache when REDIS_URL is not
set (settings.CACHES): created here so that `maillage migrate` is the only set-up step."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

CACHE_TABLE = "maillage_cache"


def create_cache_table(apps, schema_editor) -> None:
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0005_membership_request")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
