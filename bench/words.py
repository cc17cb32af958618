# ruff: noqa: E501 - word lists read better one entry a line
"""Word lists for the generated national directory: plausible French names and descriptions.

Nothing here describes a person: only services, structures and places, as the directory does.
"""

from maillage.core.models import Organisation

K = Organisation.Kind

# Chef-lieu of each département (approximate latitude, longitude) and the spread, in degrees,
# of its communes around it: enough to put places where people live, not a real geocoding.
DEPARTMENTS = {
    "01": (46.205, 5.225), "02": (49.564, 3.620), "03": (46.566, 3.333), "04": (44.092, 6.236),
    "05": (44.559, 6.079), "06": (43.703, 7.266), "07": (44.735, 4.599), "08": (49.762, 4.726),
    "09": (42.965, 1.607), "10": (48.297, 4.074), "11": (43.213, 2.351), "12": (44.350, 2.575),
    "13": (43.296, 5.370), "14": (49.183, -0.371), "15": (44.926, 2.440), "16": (45.649, 0.156),
    "17": (46.160, -1.151), "18": (47.081, 2.399), "19": (45.267, 1.770), "21": (47.322, 5.041),
    "22": (48.514, -2.765), "23": (46.171, 1.871), "24": (45.184, 0.721), "25": (47.238, 6.024),
    "26": (44.933, 4.892), "27": (49.027, 1.151), "28": (48.446, 1.489), "29": (47.996, -4.102),
    "2A": (41.919, 8.738), "2B": (42.697, 9.450), "30": (43.837, 4.360), "31": (43.605, 1.444),
    "32": (43.646, 0.586), "33": (44.838, -0.579), "34": (43.611, 3.877), "35": (48.117, -1.678),
    "36": (46.811, 1.686), "37": (47.394, 0.685), "38": (45.188, 5.724), "39": (46.675, 5.555),
    "40": (43.890, -0.500), "41": (47.586, 1.336), "42": (45.440, 4.387), "43": (45.043, 3.885),
    "44": (47.218, -1.554), "45": (47.903, 1.909), "46": (44.448, 1.441), "47": (44.203, 0.616),
    "48": (44.518, 3.500), "49": (47.474, -0.554), "50": (49.116, -1.090), "51": (48.957, 4.365),
    "52": (48.111, 5.139), "53": (48.073, -0.770), "54": (48.692, 6.184), "55": (48.772, 5.160),
    "56": (47.658, -2.760), "57": (49.120, 6.176), "58": (46.990, 3.159), "59": (50.629, 3.057),
    "60": (49.430, 2.081), "61": (48.432, 0.091), "62": (50.291, 2.777), "63": (45.778, 3.087),
    "64": (43.295, -0.371), "65": (43.233, 0.078), "66": (42.699, 2.895), "67": (48.573, 7.752),
    "68": (48.079, 7.358), "69": (45.764, 4.836), "70": (47.620, 6.155), "71": (46.307, 4.828),
    "72": (48.006, 0.199), "73": (45.564, 5.918), "74": (45.899, 6.129), "75": (48.857, 2.352),
    "76": (49.443, 1.100), "77": (48.540, 2.660), "78": (48.805, 2.130), "79": (46.323, -0.465),
    "80": (49.894, 2.296), "81": (43.929, 2.148), "82": (44.018, 1.355), "83": (43.124, 5.928),
    "84": (43.949, 4.806), "85": (46.670, -1.426), "86": (46.580, 0.340), "87": (45.834, 1.262),
    "88": (48.173, 6.450), "89": (47.798, 3.567), "90": (47.640, 6.863), "91": (48.629, 2.441),
    "92": (48.892, 2.207), "93": (48.908, 2.439), "94": (48.790, 2.455), "95": (49.036, 2.076),
    "971": (16.250, -61.580), "972": (14.640, -61.020), "973": (4.930, -52.330),
    "974": (-21.110, 55.530), "976": (-12.780, 45.230),
}  # fmt: skip
SPREAD = {"75": 0.03, "92": 0.04, "93": 0.04, "94": 0.04, "90": 0.1, "971": 0.1, "972": 0.08}
DEFAULT_SPREAD = 0.3

# The big cities whose INSEE code gets its real centre (the benchmark searches around them).
CITIES = {
    "75056": ("Paris", 48.8566, 2.3522),
    "13055": ("Marseille", 43.2965, 5.3698),
    "69123": ("Lyon", 45.7640, 4.8357),
    "31555": ("Toulouse", 43.6047, 1.4442),
    "06088": ("Nice", 43.7102, 7.2620),
    "44109": ("Nantes", 47.2184, -1.5536),
    "34172": ("Montpellier", 43.6108, 3.8767),
    "67482": ("Strasbourg", 48.5734, 7.7521),
    "33063": ("Bordeaux", 44.8378, -0.5792),
    "59350": ("Lille", 50.6292, 3.0573),
    "35238": ("Rennes", 48.1173, -1.6778),
    "49007": ("Angers", 47.4736, -0.5542),
}

# Syllables for synthetic communes when the official list is not at hand.
SYLLABLES = [
    "mont", "val", "ville", "bourg", "saint", "roche", "fontaine", "cha", "lou", "ber", "mar",
    "sur", "bois", "champ", "lan", "ker", "beau", "neuf", "pré", "fleur", "ain", "court", "lès",
]  # fmt: skip

ASSOCIATIONS = [
    "L'Escale", "Le Relais", "Paroles de femmes", "Du côté des femmes", "L'Abri", "Passerelle",
    "Accueil et Écoute", "Le Phare", "Horizons", "Entraide", "Le Fil d'Ariane", "Aurore",
    "Élan", "Solidarités nouvelles", "Le Mouvement du Nid", "Femmes solidaires", "Tremplin",
    "Le Pas", "Amicale du Nid", "L'Étape", "Clair Logis", "Maison d'Ella", "Résonances",
    "Espoir", "Le Cap", "La Boussole", "Cèdre", "Parenthèse", "Renaître", "Oasis", "Arc-en-ciel",
]  # fmt: skip
STREETS = [
    "rue de la République", "place de la Mairie", "avenue Jean Jaurès", "rue Victor Hugo",
    "boulevard Gambetta", "rue Pasteur", "place du Marché", "rue de l'Église", "rue des Écoles",
    "avenue de la Gare", "rue du Général de Gaulle", "rue Jules Ferry", "quai des Tanneurs",
    "rue Simone Veil", "allée Gisèle Halimi", "rue Olympe de Gouges", "rue Louise Michel",
]  # fmt: skip

# kind, name pattern ({commune}, {dep}, {assoc}), acronym, weight
ORGANISATIONS = [
    (K.ASSOCIATION, "Centre d'information sur les droits des femmes et des familles {dep}", "CIDFF", 2),
    (K.ASSOCIATION, "France Victimes {dep}", "", 2),
    (K.ASSOCIATION, "Solidarité Femmes {commune}", "", 4),
    (K.ASSOCIATION, "Association {assoc}", "", 10),
    (K.ASSOCIATION, "Association {assoc} de {commune}", "", 14),
    (K.ASSOCIATION, "Centre d'hébergement et de réinsertion sociale {assoc}", "CHRS", 4),
    (K.ASSOCIATION, "Planning familial {dep}", "", 2),
    (K.LOCAL_AUTHORITY, "Centre communal d'action sociale de {commune}", "CCAS", 12),
    (K.LOCAL_AUTHORITY, "Mairie de {commune}", "", 8),
    (K.SOCIAL_PROTECTION, "Maison départementale des solidarités de {commune}", "MDS", 8),
    (K.HEALTH, "Maison des femmes de {commune}", "", 3),
    (K.HEALTH, "Centre hospitalier de {commune}", "CH", 4),
    (K.HEALTH, "Centre de santé sexuelle de {commune}", "", 3),
    (K.HEALTH, "Centre médico-psychologique de {commune}", "CMP", 4),
    (K.POLICE, "Commissariat de police de {commune}", "", 4),
    (K.POLICE, "Brigade de gendarmerie de {commune}", "", 6),
    (K.JUSTICE, "Maison de justice et du droit de {commune}", "MJD", 2),
    (K.JUSTICE, "Point-justice de {commune}", "", 3),
    (K.EDUCATION, "Lycée {assoc} de {commune}", "", 2),
    (K.NIGHTLIFE, "Bar {assoc} de {commune}", "", 2),
    (K.OTHER, "Espace France services de {commune}", "", 3),
]  # fmt: skip

# help type code → (weight, service names, summaries, description openings)
SERVICES = {
    "ecoute": (14, ["Écoute et orientation", "Permanence d'écoute", "Ligne d'écoute",
                    "Écoute des victimes de violences"],
               ["Une écoute bienveillante, confidentielle et gratuite.",
                "Parler à quelqu'un qui vous croit, sans jugement."],
               ["Des écoutantes formées accueillent la parole des victimes de violences et de leur entourage.",
                "L'équipe écoute, informe et oriente vers les partenaires du territoire."]),
    "hebergement-urgence": (8, ["Hébergement d'urgence", "Mise à l'abri des femmes victimes de violences",
                                "Accueil de nuit", "Places d'hébergement d'urgence"],
                            ["Une mise à l'abri immédiate, pour cette nuit.",
                             "Hébergement d'urgence des femmes et de leurs enfants."],
                            ["Le service propose une mise en sécurité immédiate et un hébergement d'urgence.",
                             "Des places d'hébergement sont réservées aux femmes victimes de violences conjugales et à leurs enfants."]),
    "hebergement-insertion": (4, ["Hébergement et réinsertion sociale", "Logement temporaire accompagné"],
                              ["Un hébergement durable avec un accompagnement vers le logement."],
                              ["Le centre d'hébergement accompagne vers l'autonomie et un logement pérenne."]),
    "accueil-de-jour": (6, ["Accueil de jour", "Accueil de jour des femmes victimes"],
                        ["Un lieu pour souffler, être écoutée et accompagnée."],
                        ["L'accueil de jour reçoit sans rendez-vous, propose un café, une écoute et un accompagnement."]),
    "information-juridique": (10, ["Permanence juridique", "Information sur les droits",
                                   "Consultation juridique gratuite"],
                              ["Connaître ses droits : séparation, garde des enfants, plainte."],
                              ["Des juristes informent gratuitement sur le droit de la famille, le divorce, l'ordonnance de protection et la procédure pénale."]),
    "acces-au-droit": (4, ["Consultation d'avocat", "Accès au droit"],
                       ["Une consultation gratuite avec un avocat."],
                       ["Des avocats reçoivent sur rendez-vous pour une première consultation juridique gratuite."]),
    "aide-aux-victimes": (9, ["Aide aux victimes d'infractions", "Accompagnement des victimes",
                              "Bureau d'aide aux victimes"],
                          ["Information sur la procédure, accompagnement, indemnisation."],
                          ["L'association d'aide aux victimes accompagne dans les démarches judiciaires, de la plainte au procès, et pour l'indemnisation."]),
    "soutien-psychologique": (9, ["Soutien psychologique", "Consultation de psychotraumatologie",
                                  "Groupe de soutien psychologique"],
                              ["Un psychologue pour aider à surmonter le traumatisme."],
                              ["Des psychologues proposent un soutien individuel et une prise en charge du psychotraumatisme."]),
    "soins": (4, ["Consultation médicale", "Soins et orientation"],
              ["Des soins médicaux et un certificat si besoin."],
              ["Médecins et sages-femmes reçoivent, soignent et rédigent les certificats médicaux."]),
    "medecine-legale": (1, ["Unité médico-judiciaire"],
                        ["Examens médico-légaux sur réquisition."],
                        ["L'unité médico-judiciaire réalise les constatations sur réquisition après une plainte."]),
    "sante-sexuelle": (3, ["Santé sexuelle et contraception", "Consultation de santé sexuelle"],
                       ["Contraception, IVG, dépistage : gratuit pour les mineurs."],
                       ["Le centre de santé sexuelle propose contraception, IVG, dépistage des infections et écoute."]),
    "plainte": (4, ["Dépôt de plainte", "Accueil des victimes"],
                ["Toute plainte doit être enregistrée."],
                ["Un enquêteur formé aux violences intrafamiliales reçoit les plaintes et peut accompagner vers une mise en sécurité."]),
    "protection": (1, ["Protection des victimes", "Téléphone grave danger"],
                   ["Ordonnance de protection, téléphone grave danger, bracelet anti-rapprochement."],
                   ["Le dispositif assure la protection des victimes en grave danger."]),
    "accompagnement-social": (10, ["Accompagnement social", "Permanence sociale",
                                   "Accompagnement des femmes victimes de violences"],
                              ["Un travailleur social pour vous aider dans vos démarches."],
                              ["Une assistante sociale accompagne dans les démarches : logement, ressources, droits sociaux, enfants."]),
    "aide-financiere": (2, ["Aide financière d'urgence"],
                        ["Une aide financière rapide pour quitter le domicile."],
                        ["Une aide financière d'urgence est versée aux victimes de violences conjugales qui quittent le domicile."]),
    "emploi": (2, ["Insertion professionnelle", "Accompagnement vers l'emploi"],
               ["Retrouver un emploi et son autonomie."],
               ["Un accompagnement vers l'emploi et la formation pour retrouver son autonomie financière."]),
    "parentalite": (2, ["Soutien à la parentalité", "Espace rencontre parents-enfants"],
                    ["Pour les parents et les enfants exposés aux violences."],
                    ["Un espace neutre et des professionnels pour les enfants exposés aux violences conjugales et leurs parents."]),
    "groupes-de-parole": (3, ["Groupe de parole", "Ateliers collectifs"],
                          ["Partager son expérience avec d'autres femmes."],
                          ["Des groupes de parole animés par une psychologue permettent de rompre l'isolement."]),
    "auteurs": (2, ["Prise en charge des auteurs de violences", "Stage de responsabilisation"],
                ["Pour arrêter la violence : suivi individuel et groupes."],
                ["Le centre de prise en charge des auteurs de violences conjugales propose un suivi individuel et des stages de responsabilisation."]),
    "prevention": (3, ["Prévention et sensibilisation", "Interventions en milieu scolaire"],
                   ["Sensibilisation au consentement et à l'égalité."],
                   ["Des interventions de prévention sur le consentement, le sexisme et les violences dans les écoles, collèges et lycées."]),
    "formation": (2, ["Formation des professionnels"],
                  ["Former les professionnels au repérage et à l'orientation."],
                  ["Des sessions de formation au repérage des violences et à l'orientation des victimes."]),
    "lieu-refuge": (1, ["Lieu refuge « Demandez Angela »"],
                    ["Un lieu sûr pour demander de l'aide dans la rue ou en soirée."],
                    ["Le personnel, formé, met à l'abri et appelle de l'aide discrètement."]),
}  # fmt: skip

# violence code → weight, sentence added to the description
VIOLENCES = {
    "conjugales": (30, "Violences conjugales et intrafamiliales : nous accompagnons les femmes et les enfants."),
    "sexuelles": (14, "Violences sexuelles, viol, agression sexuelle, inceste : même anciennes."),
    "harcelement": (8, "Harcèlement sexuel ou moral, au travail comme dans la vie quotidienne."),
    "travail": (4, "Violences sexistes et sexuelles au travail."),
    "espace-public": (3, "Harcèlement de rue, transports, vie nocturne."),
    "cyberviolences": (4, "Cyberharcèlement, diffusion d'images intimes, chantage en ligne."),
    "milieu-etudiant": (2, "Violences en milieu étudiant."),
    "mariage-force": (2, "Mariage forcé, mutilations sexuelles féminines."),
    "prostitution": (2, "Prostitution et traite des êtres humains : accompagnement vers la sortie."),
    "toutes": (20, "Toutes les formes de violences sexistes et sexuelles."),
}  # fmt: skip

# public code → weight, sentence
PUBLICS = {
    "victimes": (40, "Pour les victimes de violences."),
    "entourage": (12, "L'entourage et les témoins sont aussi accueillis."),
    "professionnels": (6, "Les professionnels peuvent nous solliciter pour un avis."),
    "auteurs": (3, "Pour les auteurs de violences qui veulent arrêter."),
    "femmes": (25, "Accueil des femmes majeures."),
    "hommes": (3, "Les hommes victimes sont accueillis."),
    "mineurs": (9, "Enfants et adolescents mineurs, avec ou sans leurs parents."),
    "jeunes": (6, "Jeunes de 18 à 25 ans et étudiants."),
    "lgbtqia": (2, "Accueil inclusif des personnes LGBTQIA+."),
    "handicap": (3, "Accueil adapté des personnes en situation de handicap."),
    "agees": (2, "Personnes âgées."),
    "etrangeres": (4, "Interprétariat possible pour les personnes étrangères ou non francophones."),
    "sans-domicile": (3, "Personnes sans domicile."),
}  # fmt: skip

ACCESS = [
    "Accueil sur rendez-vous, par téléphone ou par courriel.",
    "Accueil sans rendez-vous aux heures d'ouverture.",
    "Service gratuit et confidentiel.",
    "Possibilité de rester anonyme.",
    "Orientation par le 115, le 3919 ou un professionnel.",
    "Permanences dans plusieurs communes du département.",
    "Un rendez-vous est proposé sous huit jours.",
    "Les enfants peuvent accompagner leur mère.",
]  # fmt: skip
