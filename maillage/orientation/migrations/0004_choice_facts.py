from django.db import migrations, models


def fill_facts(apps, schema_editor):
    """The answers of the trees already built from the default tree get its facts, by key (a
    territory's own answers keep none until its coordination adds them)."""
    from maillage.orientation.default_tree import FACTS

    Choice = apps.get_model("orientation", "Choice")
    for choice in Choice.objects.select_related("node"):
        facts = FACTS.get((choice.node.key, choice.key))
        if facts:
            choice.facts = facts
            choice.save(update_fields=["facts"])


class Migration(migrations.Migration):
    dependencies = [("orientation", "0003_more_national_numbers")]

    operations = [
        migrations.AddField(
            model_name="choice",
            name="facts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    'Clés de la situation (situation.py), par exemple {"asker": "victim"} ou '
                    '{"forms": ["conjugal"]} : le résultat final est composé à partir d\'elles.'
                ),
                verbose_name="ce que la réponse dit de la situation",
            ),
        ),
        migrations.RunPython(fill_facts, migrations.RunPython.noop),
    ]
