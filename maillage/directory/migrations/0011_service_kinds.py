from django.db import migrations, models

# The kinds as they were when this migration was written (later changes: new migrations).
KINDS = [
    ('victim-support', "Association d'aide aux victimes (France Victimes)"),
    ('conjugal-violence', 'Association spécialisée violences conjugales'),
    ('womens-rights', 'Information sur les droits des femmes et des familles (CIDFF)'),
    ('sexual-violence', 'Association spécialisée violences sexuelles'),
    ('forensic', 'Unité médico-judiciaire (UMJ)'),
    ('child-forensic', "Unité d'accueil pédiatrique enfants en danger (UAPED)"),
    ('emergency-department', 'Urgences hospitalières'),
    ('police', 'Commissariat de police'),
    ('gendarmerie', 'Brigade de gendarmerie'),
    ('child-protection', 'Cellule de recueil des informations préoccupantes (CRIP)'),
    ('social-services', 'Service social départemental (MDS)'),
    ('ccas', "Centre communal d'action sociale (CCAS)"),
    ('maternal-child-health', 'Protection maternelle et infantile (PMI)'),
    ('maternity', 'Maternité'),
    ('psychotrauma', 'Soins du psychotraumatisme, santé mentale'),
    ('sexual-health', 'Santé sexuelle (planning familial, CeGIDD)'),
    ('womens-health', 'Centre de santé des femmes'),
    ('shelter', "Hébergement, mise à l'abri (SIAO)"),
    ('legal-access', 'Accès au droit (point-justice)'),
    ('rights-defender', 'Défenseur des droits'),
    ('workplace-violence', 'Violences au travail (association spécialisée)'),
    ('labour-inspection', 'Inspection du travail'),
    ('occupational-health', 'Service de prévention et de santé au travail'),
    ('elder-abuse', 'Maltraitance des personnes âgées ou handicapées'),
    ('disability', 'Violences et handicap'),
    ('lgbt', 'Personnes LGBT+'),
    ('prostitution', 'Prostitution, traite des êtres humains'),
    ('university', "Cellule violences de l'enseignement supérieur"),
    ('student-health', 'Santé étudiante'),
    ('safe-venue', 'Lieu refuge (Demandez Angela)'),
    ('perpetrator-programme', 'Prise en charge des auteurs de violences'),
    ('perpetrator-resource', 'Centre ressource auteurs de violences sexuelles (CRIAVS)'),
    ('financial-aid', 'Aide financière'),
    ('national-line', "Ligne nationale d'écoute"),
]


def add_kinds(apps, schema_editor):
    Term = apps.get_model("directory", "Term")
    for position, (code, label) in enumerate(KINDS):
        Term.objects.get_or_create(
            vocabulary="kind", code=code, defaults={"label": label, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0010_zero_result_term_counts")]

    operations = [
        migrations.AlterField(
            model_name="term",
            name="vocabulary",
            field=models.CharField(
                choices=[
                    ("violence", "Type de violence"),
                    ("help", "Type d'aide"),
                    ("public", "Public"),
                    ("language", "Langue"),
                    ("kind", "Type d'acteur"),
                ],
                max_length=20,
                verbose_name="vocabulaire",
            ),
        ),
        migrations.AlterField(
            model_name="historicalterm",
            name="vocabulary",
            field=models.CharField(
                choices=[
                    ("violence", "Type de violence"),
                    ("help", "Type d'aide"),
                    ("public", "Public"),
                    ("language", "Langue"),
                    ("kind", "Type d'acteur"),
                ],
                max_length=20,
                verbose_name="vocabulaire",
            ),
        ),
        migrations.AddField(
            model_name="service",
            name="kinds",
            field=models.ManyToManyField(
                blank=True,
                help_text=(
                    "Ce qu'est le service pour le guide d'orientation : association spécialisée, "
                    "unité médico-judiciaire, commissariat…"
                ),
                limit_choices_to={"vocabulary": "kind"},
                related_name="+",
                to="directory.term",
                verbose_name="types d'acteur",
            ),
        ),
        migrations.RunPython(add_kinds, migrations.RunPython.noop),
    ]
