from django.db import migrations

# The banner shown on every page; an administrator edits it afterwards (it is data, with history).
NUMBERS = [
    ("17", "Police, gendarmerie", "call"),
    ("112", "Urgences, depuis tout téléphone", "call"),
    ("114", "Si vous ne pouvez pas parler", "sms"),
    ("3919", "Violences Femmes Info, écoute 24 h/24, anonyme", "call"),
]


def add_numbers(apps, schema_editor):
    EmergencyNumber = apps.get_model("core", "EmergencyNumber")
    for position, (number, label, channel) in enumerate(NUMBERS):
        EmergencyNumber.objects.get_or_create(
            number=number, defaults={"label": label, "channel": channel, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(add_numbers, migrations.RunPython.noop)]
