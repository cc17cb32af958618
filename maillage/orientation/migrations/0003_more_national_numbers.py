"""The national numbers added after 0002 (orientation-situations.md §3) and the verified hours
of the 3117 and the 116 006. An administrator's edit is kept: a number that exists is left
alone, and hours are replaced only while they still hold 0002's default text."""

from django.db import migrations

from maillage.orientation.default_tree import NATIONAL_NUMBERS

NEW_CODES = ["3977", "fdfa", "refuge", "sos-homophobie", "3114", "17cyber", "mariage-force"]
OLD_HOURS = {"3117": "", "116006": "7 j/7 de 9 h à 19 h, gratuit"}


def forwards(apps, schema_editor):
    NationalNumber = apps.get_model("orientation", "NationalNumber")
    rows = {row[0]: row for row in NATIONAL_NUMBERS}
    for code in NEW_CODES:
        _code, number, name, description, hours, channel, url = rows[code]
        NationalNumber.objects.get_or_create(
            code=code,
            defaults={
                "number": number,
                "name": name,
                "description": description,
                "hours": hours,
                "channel": channel,
                "url": url,
            },
        )
    for code, old in OLD_HOURS.items():
        NationalNumber.objects.filter(code=code, hours=old).update(hours=rows[code][4])


class Migration(migrations.Migration):
    dependencies = [("orientation", "0002_national_numbers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
