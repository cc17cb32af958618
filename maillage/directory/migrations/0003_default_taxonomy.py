from django.db import migrations

from maillage.directory.taxonomy import load_taxonomy


def forwards(apps, schema_editor):
    load_taxonomy(apps.get_model("directory", "Term"))


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_full_text_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
