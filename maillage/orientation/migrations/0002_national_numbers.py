from django.db import migrations

from maillage.orientation.default_tree import load_national_numbers


def forwards(apps, schema_editor):
    load_national_numbers(apps.get_model("orientation", "NationalNumber"))


class Migration(migrations.Migration):
    dependencies = [("orientation", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
