"""The search runs on the in-memory index (directory/index.py): drop the engines' full-text
indexes of 0002, which every write of a service kept up to date for nothing."""

import importlib

from django.db import migrations

full_text = importlib.import_module("maillage.directory.migrations.0002_full_text_index")


class Migration(migrations.Migration):
    dependencies = [("directory", "0008_opening_exception")]

    operations = [
        migrations.RunPython(
            full_text.run(
                {"sqlite": full_text.SQLITE_DOWN, "postgresql": full_text.POSTGRESQL_DOWN}
            ),
            full_text.run(
                {
                    # Back: the triggers index new writes; 'rebuild' indexes the existing rows.
                    "sqlite": [
                        *full_text.SQLITE_UP,
                        "INSERT INTO directory_service_fts(directory_service_fts) "
                        "VALUES ('rebuild')",
                    ],
                    "postgresql": full_text.POSTGRESQL_UP,
                }
            ),
        )
    ]
