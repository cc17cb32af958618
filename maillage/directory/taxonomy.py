"""The default taxonomy (domain.md §6), mapped onto data·inclusion v1 where a term exists.

Loaded by a data migration; afterwards it is data, edited by an administrator (with history).
Each row: code, label, public label (neutral, for the public pages), data·inclusion thématique,
type, public.
"""

VIOLENCE = "famille--surmonter-conflits-separation-violence"
LAW = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
SHELTER = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"

VIOLENCE_TYPES = [
    (
        "conjugales",
        "Violences conjugales et intrafamiliales",
        "Violences dans le couple ou la famille",
    ),
    ("sexuelles", "Violences sexuelles (viol, agression)", ""),
    ("harcelement", "Harcèlement sexuel ou moral", ""),
    ("travail", "Violences au travail", ""),
    ("espace-public", "Espace public, transports, vie nocturne", ""),
    ("cyberviolences", "Cyberviolences", "Violences en ligne"),
    ("milieu-etudiant", "Violences en milieu étudiant", ""),
    ("mariage-force", "Mariage forcé, mutilations sexuelles", ""),
    ("prostitution", "Prostitution, traite des êtres humains", ""),
    ("toutes", "Toutes les violences", ""),
]

HELP_TYPES = [
    # code, label, public label, thématique, type
    ("ecoute", "Écoute téléphonique", "Parler à quelqu'un", VIOLENCE, "information"),
    ("accueil-de-jour", "Accueil de jour", "", VIOLENCE, "accompagnement"),
    ("hebergement-urgence", "Hébergement d'urgence, mise à l'abri", "", SHELTER, "aide-materielle"),
    ("hebergement-insertion", "Hébergement d'insertion (CHRS)", "", SHELTER, "accompagnement"),
    ("soins", "Soins médicaux", "", "sante--acces-aux-soins", "accompagnement"),
    ("medecine-legale", "Médecine légale (UMJ)", "", "sante--acces-aux-soins", ""),
    ("sante-sexuelle", "Santé sexuelle (contraception, IVG, IST)", "", "sante--sante-sexuelle", ""),
    ("soutien-psychologique", "Soutien psychologique, psychotrauma", "", "sante--sante-mentale", "accompagnement"),
    ("information-juridique", "Information juridique", "Connaître ses droits", LAW, "information"),
    ("acces-au-droit", "Accès au droit, avocat", "", LAW, "accompagnement"),
    ("aide-aux-victimes", "Aide aux victimes (procédure, indemnisation)", "", LAW, "accompagnement"),
    ("plainte", "Dépôt de plainte", "", LAW, ""),
    ("protection", "Protection judiciaire (ordonnance, TGD, BAR)", "", LAW, ""),
    ("accompagnement-social", "Accompagnement social", "", VIOLENCE, "accompagnement"),
    ("aide-financiere", "Aide financière", "", "", "aide-financiere"),
    ("emploi", "Emploi, insertion", "", "", "accompagnement"),
    ("parentalite", "Parentalité et enfants", "", "famille--soutien-a-la-parentalite-et-a-leducation", ""),
    ("groupes-de-parole", "Groupes de parole", "", VIOLENCE, "atelier"),
    ("auteurs", "Prise en charge des auteurs", "", VIOLENCE, "accompagnement"),
    ("prevention", "Prévention, sensibilisation", "", "", "atelier"),
    ("formation", "Formation des professionnels", "", "", "formation"),
    ("lieu-refuge", "Lieu refuge (Demandez Angela)", "", "", ""),
]  # fmt: skip

PUBLICS = [
    # code, label, data·inclusion public
    ("victimes", "Victimes", "personnes-en-situation-durgence"),
    ("entourage", "Entourage, témoins", ""),
    ("professionnels", "Professionnels", ""),
    ("auteurs", "Auteurs de violences", "personnes-en-situation-juridique-specifique"),
    ("femmes", "Femmes majeures", "femmes"),
    ("hommes", "Hommes", ""),
    ("mineurs", "Mineurs (enfants, adolescents)", "jeunes"),
    ("jeunes", "Jeunes 18-25 ans, étudiants", "etudiants"),
    ("lgbtqia", "Personnes LGBTQIA+", ""),
    ("handicap", "Personnes en situation de handicap", "personnes-en-situation-de-handicap"),
    ("agees", "Personnes âgées", "seniors"),
    ("etrangeres", "Personnes étrangères ou non francophones", "personnes-exilees"),
    ("sans-domicile", "Personnes sans domicile", "personnes-en-situation-durgence"),
]

# The kind of actor a service is: what the orientation guide asks the directory for ("the
# specialised association", "the forensic unit"), beside what it does (help types) and for whom
# (publics). Codes are English, like the orientation API's values.
KINDS = [
    ("victim-support", "Association d'aide aux victimes (France Victimes)"),
    ("conjugal-violence", "Association spécialisée violences conjugales"),
    ("womens-rights", "Information sur les droits des femmes et des familles (CIDFF)"),
    ("sexual-violence", "Association spécialisée violences sexuelles"),
    ("forensic", "Unité médico-judiciaire (UMJ)"),
    ("child-forensic", "Unité d'accueil pédiatrique enfants en danger (UAPED)"),
    ("emergency-department", "Urgences hospitalières"),
    ("police", "Commissariat de police"),
    ("gendarmerie", "Brigade de gendarmerie"),
    ("child-protection", "Cellule de recueil des informations préoccupantes (CRIP)"),
    ("social-services", "Service social départemental (MDS)"),
    ("ccas", "Centre communal d'action sociale (CCAS)"),
    ("maternal-child-health", "Protection maternelle et infantile (PMI)"),
    ("maternity", "Maternité"),
    ("psychotrauma", "Soins du psychotraumatisme, santé mentale"),
    ("sexual-health", "Santé sexuelle (planning familial, CeGIDD)"),
    ("womens-health", "Centre de santé des femmes"),
    ("shelter", "Hébergement, mise à l'abri (SIAO)"),
    ("legal-access", "Accès au droit (point-justice)"),
    ("rights-defender", "Défenseur des droits"),
    ("workplace-violence", "Violences au travail (association spécialisée)"),
    ("labour-inspection", "Inspection du travail"),
    ("occupational-health", "Service de prévention et de santé au travail"),
    ("elder-abuse", "Maltraitance des personnes âgées ou handicapées"),
    ("disability", "Violences et handicap"),
    ("lgbt", "Personnes LGBT+"),
    ("prostitution", "Prostitution, traite des êtres humains"),
    ("university", "Cellule violences de l'enseignement supérieur"),
    ("student-health", "Santé étudiante"),
    ("safe-venue", "Lieu refuge (Demandez Angela)"),
    ("perpetrator-programme", "Prise en charge des auteurs de violences"),
    ("perpetrator-resource", "Centre ressource auteurs de violences sexuelles (CRIAVS)"),
    ("financial-aid", "Aide financière"),
    ("national-line", "Ligne nationale d'écoute"),
]

LANGUAGES = [
    ("fr", "Français"),
    ("en", "Anglais"),
    ("ar", "Arabe"),
    ("es", "Espagnol"),
    ("pt", "Portugais"),
    ("tr", "Turc"),
    ("ro", "Roumain"),
    ("ru", "Russe"),
    ("uk", "Ukrainien"),
    ("fa", "Persan"),
    ("ps", "Pachto"),
    ("ff", "Peul"),
    ("lsf", "Langue des signes française"),
]


def load_taxonomy(Term) -> None:
    """Create the default terms, leaving alone those an administrator has already edited."""
    rows = []
    for position, (code, label, public_label) in enumerate(VIOLENCE_TYPES):
        rows.append(("violence", code, label, public_label, "", "", "", position))
    for position, (code, label, public_label, thematique, kind) in enumerate(HELP_TYPES):
        rows.append(("help", code, label, public_label, thematique, kind, "", position))
    for position, (code, label, public) in enumerate(PUBLICS):
        rows.append(("public", code, label, "", "", "", public, position))
    for position, (code, label) in enumerate(LANGUAGES):
        rows.append(("language", code, label, "", "", "", "", position))
    for position, (code, label) in enumerate(KINDS):
        rows.append(("kind", code, label, "", "", "", "", position))
    for vocabulary, code, label, public_label, thematique, kind, public, position in rows:
        Term.objects.get_or_create(
            vocabulary=vocabulary,
            code=code,
            defaults={
                "label": label,
                "public_label": public_label,
                "di_thematique": thematique,
                "di_type": kind,
                "di_public": public,
                "position": position,
            },
        )
