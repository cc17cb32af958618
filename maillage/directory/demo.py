"""The Angers directory for the demo: national numbers (domain.md §3) and the local actors of
domain.md §7 with plausible services, and the actors the orientation guide asks for by kind
(orientation-situations.md): each service carries its kinds (vocabulary "kind").
Public information only; local phone numbers are fictional (02 41 00 00 xx), national ones are
those verified in the catalogue, and every page says demo data must be checked.
"""

from datetime import date, time

from django.utils import timezone

from maillage.core.models import Commune, Organisation, Territory

from .models import OpeningException, OpeningSlot, Place, Service, ServicePhone, Term, Visibility
from .services import save_service

K = Organisation.Kind
S = Service.Coverage
ANGERS = (47.4736, -0.5542)
WEEKDAYS = range(0, 5)
EVERY_DAY = range(0, 7)
OFFICE_HOURS = [(WEEKDAYS, time(9), time(12, 30)), (WEEKDAYS, time(13, 30), time(17))]
DEPARTMENT = {"coverage": S.DEPARTMENT, "coverage_department": "49"}

ANGERS_CODE = "49007"
# The communes of the gendarmerie brigades and of the Maisons départementales des solidarités
# (INSEE codes; a demo split of the 29 communes, to be checked like everything here).
BRIGADE_MONTREUIL = ["49214", "49135", "49055", "49339", "49130", "49200", "49271", "49294"]
BRIGADE_MURS = ["49223", "49338", "49298", "49306", "49329", "49028"]
BRIGADE_VERRIERES = ["49323", "49241", "49326", "49377", "49048", "49307"]
MDS_ANGERS = [ANGERS_CODE, "49015", "49020", "49214", "49055", "49135", "49130", "49339", "49200",
              "49271", "49294", "49306"]  # fmt: skip
MDS_TRELAZE = ["49353", "49267", "49307", "49323", "49326", "49241", "49377", "49048", "49129"]
MDS_PONTS_DE_CE = ["49246", "49223", "49278", "49338", "49035", "49028", "49329", "49298"]
# Approximate centres of the communes other than Angers where a demo place stands.
CENTRES = {
    "49214": (47.5278, -0.6136),  # Montreuil-Juigné
    "49223": (47.4003, -0.5500),  # Mûrs-Erigné
    "49323": (47.5175, -0.4797),  # Verrières-en-Anjou (Saint-Sylvain-d'Anjou)
    "49353": (47.4456, -0.4658),  # Trélazé
    "49246": (47.4244, -0.5253),  # Les Ponts-de-Cé
}

# The kind of the organisations only the directory's demo creates (the others: core/demo.py).
ORGANISATION_KINDS = {
    "Centre communal d'action sociale d'Angers": K.LOCAL_AUTHORITY,
    "Centre de santé mentale angevin": K.HEALTH,
    "Centre régional du psychotraumatisme des Pays de la Loire": K.HEALTH,
    "Centre ressource pour les intervenants auprès des auteurs de violences sexuelles des Pays "
    "de la Loire": K.HEALTH,
    "Défenseur des droits": K.STATE,
    "Direction départementale de l'emploi, du travail et des solidarités de Maine-et-Loire": K.STATE,
    "Service de prévention et de santé au travail de l'Anjou": K.HEALTH,
    # Two of the demo's trained bars (trainings/demo_history.py), "Demandez Angela" venues.
    "Le Zinc du Ralliement (démo)": K.NIGHTLIFE,
    "La Gabare (démo)": K.NIGHTLIFE,
}

# organisation, name, summary, help, violence, publics, options, phones, hours, place
SERVICES = [
    ("Fédération nationale Solidarité Femmes", "3919 — Violences Femmes Info",
     "Écoute, information et orientation des femmes victimes de violences, de leur entourage et des professionnels. Ce n'est pas un numéro d'urgence.",
     ["ecoute"], ["toutes", "conjugales"], ["victimes", "entourage", "professionnels", "femmes"],
     {"coverage": S.NATIONAL, "is_24_7": True, "is_anonymous": True, "remote": True, "gender": "women", "kinds": ["national-line"]}, [("3919", "Appel gratuit et anonyme", "public")], None, None),
    ("Service national d'accueil téléphonique de l'enfance en danger", "119 — Allô Enfance en danger",
     "Pour un enfant ou un adulte inquiet pour un enfant. L'appel ne figure pas sur les factures.",
     ["ecoute"], ["toutes"], ["mineurs", "entourage", "professionnels"],
     {"coverage": S.NATIONAL, "is_24_7": True, "is_anonymous": True, "remote": True, "minors_accepted": True, "urgent_response": True, "kinds": ["national-line"]}, [("119", "", "public")], None, None),
    ("Fédération France Victimes", "116 006 — Aide aux victimes",
     "Écoute et orientation de toute victime d'infraction, de ses proches et des témoins, vers l'association locale.",
     ["ecoute", "aide-aux-victimes"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.NATIONAL, "remote": True, "kinds": ["national-line"]}, [("116 006", "", "public")], (EVERY_DAY, time(9), time(19)), None),
    ("Association e-Enfance", "3018 — Cyberharcèlement et violences numériques",
     "Pour les jeunes, les parents et les professionnels : harcèlement en ligne, diffusion d'images intimes, chantage.",
     ["ecoute"], ["cyberviolences"], ["mineurs", "jeunes", "entourage", "professionnels"],
     {"coverage": S.NATIONAL, "remote": True, "minors_accepted": True, "is_anonymous": True, "kinds": ["national-line"]}, [("3018", "", "public")], (EVERY_DAY, time(9), time(23)), None),
    ("Collectif féministe contre le viol", "Viols Femmes Informations",
     "Écoute des victimes de viol et d'agressions sexuelles, même anciennes ou dans l'enfance.",
     ["ecoute"], ["sexuelles"], ["victimes", "entourage"],
     {"coverage": S.NATIONAL, "remote": True, "is_anonymous": True, "kinds": ["national-line"]}, [("0 800 05 95 95", "Appel gratuit", "public")], (WEEKDAYS, time(10), time(19)), None),
    ("Fédération nationale des associations et des centres de prise en charge d'auteurs de violences conjugales et familiales", "Écoute des auteurs de violences",
     "Pour les personnes qui ont peur de devenir violentes ou qui l'ont été : écoute et orientation vers un centre de prise en charge.",
     ["auteurs", "ecoute"], ["conjugales"], ["auteurs"],
     {"coverage": S.NATIONAL, "remote": True, "kinds": ["perpetrator-programme", "national-line"]}, [("08 019 019 11", "", "public")], (EVERY_DAY, time(9), time(19)), None),
    ("Police nationale", "17 — Police secours",
     "Danger immédiat, violences en cours : les forces de l'ordre interviennent.",
     ["plainte", "protection"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.NATIONAL, "is_24_7": True, "urgent_response": True, "kinds": ["national-line"]}, [("17", "", "public")], None, None),
    ("SIAO de Maine-et-Loire", "115 — Hébergement d'urgence",
     "Une place pour cette nuit. En Maine-et-Loire, le 115 centralise la mise à l'abri des femmes victimes de violences conjugales avec Solidarité Femmes 49.",
     ["hebergement-urgence"], ["conjugales", "toutes"], ["victimes", "femmes", "sans-domicile"],
     {"coverage": S.DEPARTMENT, "coverage_department": "49", "is_24_7": True, "urgent_response": True, "saturation": "moderate", "kinds": ["shelter"]}, [("115", "", "public")], None, None),
    ("Solidarité Femmes 49", "Accueil de jour et écoute",
     "Entretiens individuels et collectifs, écoute, accompagnement vers la mise à l'abri. Réponse sous 72 heures.",
     ["accueil-de-jour", "ecoute", "accompagnement-social", "groupes-de-parole"], ["conjugales"], ["victimes", "femmes"],
     {"walk_in": True, "by_appointment": True, "languages": ["fr", "en"], "gender": "women", "kinds": ["conjugal-violence"]}, [("02 41 00 00 01", "Accueil", "public"), ("02 41 00 00 02", "Ligne des professionnels", "professionals")], ([1, 3, 4], time(14), time(17, 30)), ("Accueil de jour", "", False)),
    ("Solidarité Femmes 49", "Hébergement des femmes et des enfants",
     "Centre d'hébergement et de réinsertion sociale : mise en sécurité, accompagnement vers un logement.",
     ["hebergement-insertion", "hebergement-urgence"], ["conjugales"], ["victimes", "femmes"],
     {"referral_only": True, "saturation": "high", "gender": "women", "kinds": ["conjugal-violence", "shelter"]}, [("02 41 00 00 03", "Admissions (par le 115 ou les professionnels)", "professionals")], None, ("", "Adresse confidentielle", True)),
    ("France Victimes 49", "Aide aux victimes d'infractions",
     "Juristes et psychologues : information sur la procédure, accompagnement, soutien. Permanences au commissariat central et à l'hôpital.",
     ["aide-aux-victimes", "soutien-psychologique", "information-juridique"], ["toutes"], ["victimes", "entourage"],
     {"by_appointment": True, "gender": "all", "kinds": ["victim-support"]}, [("02 41 00 00 04", "", "public")], (WEEKDAYS, time(9), time(17)), ("", "Place du Président Kennedy", False)),
    ("Centre d'information sur les droits des femmes et des familles de Maine-et-Loire", "Information juridique gratuite",
     "Droit de la famille, violences, séparation, emploi : une information gratuite et confidentielle.",
     ["information-juridique", "acces-au-droit"], ["conjugales", "harcelement", "travail"], ["victimes", "femmes"],
     {"by_appointment": True, "is_anonymous": True, "kinds": ["womens-rights"]}, [("02 41 00 00 05", "", "public")], (WEEKDAYS, time(9), time(12, 30)), ("", "Boulevard du Roi René", False)),
    ("Centre hospitalier universitaire d'Angers", "Unité médico-judiciaire",
     "Examens médico-légaux sur réquisition après une plainte ; conseils aux professionnels de santé.",
     ["medecine-legale", "soins"], ["sexuelles", "conjugales"], ["victimes", "professionnels"],
     {"referral_only": True, "is_24_7": True, "urgent_response": True, "kinds": ["forensic"]}, [("02 41 00 00 06", "Avis aux professionnels", "professionals")], None, ("CHU d'Angers", "Rue Larrey", False)),
    ("Maison Olympe", "Centre de santé des femmes",
     "Consultations gynécologiques, sages-femmes, psychologue, ateliers d'estime de soi.",
     ["soins", "sante-sexuelle", "soutien-psychologique"], ["sexuelles", "conjugales"], ["femmes", "victimes"],
     {"by_appointment": True, "walk_in": True, "wheelchair_accessible": True, "gender": "women", "kinds": ["womens-health"]}, [("02 41 00 00 07", "", "public")], (WEEKDAYS, time(8, 30), time(18)), ("", "Quartier Monplaisir", False)),
    ("Planning familial 49", "Santé sexuelle et contraception",
     "Contraception, IVG, infections sexuellement transmissibles, violences : gratuit et anonyme pour les mineurs.",
     ["sante-sexuelle", "ecoute"], ["sexuelles"], ["femmes", "mineurs", "jeunes"],
     {"is_anonymous": True, "minors_accepted": True, "walk_in": True, "kinds": ["sexual-health"]}, [("02 41 00 00 08", "", "public")], ([0, 2, 4], time(13), time(18)), ("", "", False)),
    ("Médiations 49", "Centre de prise en charge des auteurs de violences conjugales",
     "Entretiens préalables puis groupe de parole ou suivi individuel, sur démarche volontaire ou décision de justice.",
     ["auteurs", "groupes-de-parole"], ["conjugales"], ["auteurs"],
     {"by_appointment": True, "is_free": False, "kinds": ["perpetrator-programme"]}, [("02 41 00 00 09", "", "public")], (WEEKDAYS, time(9), time(17)), ("", "", False)),
    ("Association d'aide aux victimes d'abus sexuels", "Groupes de parole",
     "Pour les adultes victimes d'abus sexuels, d'inceste ou de violences dans l'enfance.",
     ["groupes-de-parole", "ecoute"], ["sexuelles"], ["victimes"],
     {"by_appointment": True, "age_min": 16, "kinds": ["sexual-violence"]}, [("02 41 00 00 34", "", "public")], None, ("", "", False)),
    ("Université d'Angers", "Cellule violences, discriminations, harcèlement",
     "Signalement par courriel, écoute par un binôme, analyse et orientation, pour les étudiants et les personnels.",
     ["ecoute", "accompagnement-social"], ["milieu-etudiant", "harcelement", "sexuelles"], ["jeunes", "victimes"],
     {"email": "cellule-vdh@example.org", "remote": True, "kinds": ["university"]}, [], None, None),
    ("Conseil départemental de l'accès au droit de Maine-et-Loire", "Point-justice",
     "Consultations juridiques gratuites avec des avocats et des juristes.",
     ["acces-au-droit", "information-juridique"], ["toutes"], ["victimes", "entourage"],
     {"by_appointment": True, "kinds": ["legal-access"]}, [("3039", "Numéro national des points-justice", "public")], ([1, 3], time(9), time(12)), ("Palais de justice", "", False)),
    ("Direction départementale de la sécurité publique de Maine-et-Loire", "Commissariat central : dépôt de plainte",
     "Toute plainte doit être enregistrée, même sans preuve. Vous pouvez venir accompagnée.",
     ["plainte", "protection"], ["toutes"], ["victimes"],
     {"is_24_7": True, "walk_in": True, "kinds": ["police"]}, [("02 41 00 00 10", "Accueil", "public")], None, ("Commissariat central", "", False)),
    ("Caisse d'allocations familiales de Maine-et-Loire", "Aide universelle d'urgence",
     "Une aide versée en quelques jours aux victimes de violences conjugales qui quittent le domicile.",
     ["aide-financiere"], ["conjugales"], ["victimes"],
     {"remote": True, "website": "https://www.caf.fr", "kinds": ["financial-aid"]}, [], None, None),
    # The actors the orientation guide asks for by kind (orientation-situations.md).
    ("Centre hospitalier universitaire d'Angers", "Unité d'accueil pédiatrique enfants en danger (UAPED)",
     "L'enfant victime est entendu une seule fois, en audition filmée, dans une salle adaptée de l'hôpital, sur réquisition de la justice ; examen médico-légal et soins.",
     ["medecine-legale", "soins", "soutien-psychologique"], ["sexuelles", "conjugales", "toutes"], ["mineurs", "victimes"],
     {**DEPARTMENT, "referral_only": True, "minors_accepted": True, "age_max": 17, "kinds": ["child-forensic"]}, [("02 41 00 00 11", "Avis aux professionnels", "professionals")], (WEEKDAYS, time(9), time(17)), ("CHU d'Angers, pôle enfants", "Rue Larrey", False)),
    ("Centre hospitalier universitaire d'Angers", "Urgences adultes",
     "Soins des blessures. Après un viol : traitement préventif du VIH (au plus tard 48 h, au mieux dans les 4 h), contraception d'urgence, dépistages. Urgence vitale : appelez le 15.",
     ["soins"], ["sexuelles", "conjugales", "toutes"], ["victimes"],
     {**DEPARTMENT, "is_24_7": True, "walk_in": True, "urgent_response": True, "age_min": 18, "wheelchair_accessible": True, "kinds": ["emergency-department"]}, [("02 41 00 00 12", "Standard du CHU", "public")], None, ("Urgences du CHU d'Angers", "Rue Larrey", False)),
    ("Centre hospitalier universitaire d'Angers", "Urgences pédiatriques",
     "Soins des enfants et des adolescents blessés ou malades, 24 h/24. Urgence vitale : appelez le 15.",
     ["soins"], ["toutes"], ["mineurs", "victimes"],
     {**DEPARTMENT, "is_24_7": True, "walk_in": True, "urgent_response": True, "minors_accepted": True, "age_max": 17, "wheelchair_accessible": True, "kinds": ["emergency-department"]}, [("02 41 00 00 12", "Standard du CHU", "public")], None, ("Urgences pédiatriques du CHU d'Angers", "Rue Larrey", False)),
    ("Centre hospitalier universitaire d'Angers", "Maternité",
     "Suivi de grossesse et accouchement ; les violences peuvent être évoquées en confiance avec une sage-femme, dès l'entretien prénatal. Urgences obstétricales 24 h/24.",
     ["soins", "sante-sexuelle"], ["conjugales", "sexuelles"], ["femmes", "victimes"],
     {**DEPARTMENT, "is_24_7": True, "by_appointment": True, "gender": "women", "wheelchair_accessible": True, "kinds": ["maternity"]}, [("02 41 00 00 13", "Accueil de la maternité", "public")], None, ("Maternité du CHU d'Angers", "Rue Larrey", False)),
    ("Centre hospitalier universitaire d'Angers", "Centre gratuit d'information, de dépistage et de diagnostic (CeGIDD)",
     "Dépistage du VIH, des hépatites et des infections sexuellement transmissibles, traitement préventif après un risque : gratuit, anonyme si vous le souhaitez, mineurs acceptés.",
     ["sante-sexuelle", "soins"], ["sexuelles"], ["victimes", "jeunes", "mineurs"],
     {"is_anonymous": True, "walk_in": True, "minors_accepted": True, "kinds": ["sexual-health"]}, [("02 41 00 00 14", "", "public")], ([0, 2, 4], time(9), time(17)), ("CeGIDD du CHU d'Angers", "Rue Larrey", False)),
    ("Groupement de gendarmerie départementale de Maine-et-Loire", "Brigade de gendarmerie de Montreuil-Juigné",
     "Dépôt de plainte, même sans preuve, et intervention dans les communes de la brigade. En dehors des heures d'accueil ou en urgence : le 17.",
     ["plainte", "protection"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.COMMUNES, "coverage_communes": BRIGADE_MONTREUIL, "walk_in": True, "kinds": ["gendarmerie"]}, [("02 41 00 00 15", "Accueil", "public")], OFFICE_HOURS, ("Brigade de gendarmerie", "", False, "49214")),
    ("Groupement de gendarmerie départementale de Maine-et-Loire", "Brigade de gendarmerie de Mûrs-Erigné",
     "Dépôt de plainte, même sans preuve, et intervention dans les communes de la brigade. En dehors des heures d'accueil ou en urgence : le 17.",
     ["plainte", "protection"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.COMMUNES, "coverage_communes": BRIGADE_MURS, "walk_in": True, "kinds": ["gendarmerie"]}, [("02 41 00 00 16", "Accueil", "public")], OFFICE_HOURS, ("Brigade de gendarmerie", "", False, "49223")),
    ("Groupement de gendarmerie départementale de Maine-et-Loire", "Brigade de gendarmerie de Verrières-en-Anjou",
     "Dépôt de plainte, même sans preuve, et intervention dans les communes de la brigade. En dehors des heures d'accueil ou en urgence : le 17.",
     ["plainte", "protection"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.COMMUNES, "coverage_communes": BRIGADE_VERRIERES, "walk_in": True, "kinds": ["gendarmerie"]}, [("02 41 00 00 17", "Accueil", "public")], OFFICE_HOURS, ("Brigade de gendarmerie", "", False, "49323")),
    ("Département de Maine-et-Loire", "Cellule de recueil des informations préoccupantes (CRIP 49)",
     "Reçoit et évalue les informations préoccupantes sur un enfant en danger ou en risque de l'être, et conseille les professionnels. Particuliers : appelez le 119, 24 h/24.",
     ["protection", "parentalite"], ["toutes"], ["professionnels", "mineurs", "entourage"],
     {**DEPARTMENT, "remote": True, "minors_accepted": True, "age_max": 17, "email": "crip49@example.org", "email_visibility": "professionals", "kinds": ["child-protection"]}, [("02 41 00 00 18", "Ligne des professionnels", "professionals")], (WEEKDAYS, time(9), time(17)), None),
    ("Département de Maine-et-Loire", "Maison départementale des solidarités d'Angers",
     "Assistantes et assistants sociaux du Département : écoute, accès aux droits, aide pour se protéger et protéger ses enfants, soutien des personnes âgées ou handicapées vulnérables.",
     ["accompagnement-social", "parentalite"], ["conjugales", "toutes"], ["victimes", "entourage", "agees", "handicap"],
     {"coverage": S.COMMUNES, "coverage_communes": MDS_ANGERS, "walk_in": True, "by_appointment": True, "kinds": ["social-services"]}, [("02 41 00 00 19", "", "public")], OFFICE_HOURS, ("Maison départementale des solidarités", "", False, "49007")),
    ("Département de Maine-et-Loire", "Maison départementale des solidarités de Trélazé",
     "Assistantes et assistants sociaux du Département : écoute, accès aux droits, aide pour se protéger et protéger ses enfants, soutien des personnes âgées ou handicapées vulnérables.",
     ["accompagnement-social", "parentalite"], ["conjugales", "toutes"], ["victimes", "entourage", "agees", "handicap"],
     {"coverage": S.COMMUNES, "coverage_communes": MDS_TRELAZE, "walk_in": True, "by_appointment": True, "kinds": ["social-services"]}, [("02 41 00 00 20", "", "public")], OFFICE_HOURS, ("Maison départementale des solidarités", "", False, "49353")),
    ("Département de Maine-et-Loire", "Maison départementale des solidarités des Ponts-de-Cé",
     "Assistantes et assistants sociaux du Département : écoute, accès aux droits, aide pour se protéger et protéger ses enfants, soutien des personnes âgées ou handicapées vulnérables.",
     ["accompagnement-social", "parentalite"], ["conjugales", "toutes"], ["victimes", "entourage", "agees", "handicap"],
     {"coverage": S.COMMUNES, "coverage_communes": MDS_PONTS_DE_CE, "walk_in": True, "by_appointment": True, "kinds": ["social-services"]}, [("02 41 00 00 21", "", "public")], OFFICE_HOURS, ("Maison départementale des solidarités", "", False, "49246")),
    ("Centre communal d'action sociale d'Angers", "Accueil social et aides d'urgence",
     "Accueil, accompagnement social et aides financières ponctuelles pour les habitants d'Angers, notamment après un départ du domicile.",
     ["accompagnement-social", "aide-financiere"], ["toutes"], ["victimes", "agees", "sans-domicile"],
     {"coverage": S.COMMUNES, "coverage_communes": [ANGERS_CODE], "walk_in": True, "kinds": ["ccas"]}, [("02 41 00 00 22", "", "public")], (WEEKDAYS, time(8, 30), time(17)), ("CCAS d'Angers", "", False)),
    ("Département de Maine-et-Loire", "Protection maternelle et infantile (PMI)",
     "Consultations gratuites des femmes enceintes et des enfants de moins de 6 ans, visites de sages-femmes et de puéricultrices ; soutien face aux violences dans la famille.",
     ["soins", "parentalite"], ["conjugales", "toutes"], ["femmes", "mineurs"],
     {"by_appointment": True, "minors_accepted": True, "kinds": ["maternal-child-health"]}, [("02 41 00 00 23", "", "public")], (WEEKDAYS, time(9), time(17)), ("Centre de PMI", "", False)),
    ("Centre de santé mentale angevin", "Centre médico-psychologique adultes",
     "Consultations de psychiatres, psychologues et infirmiers, sans avance de frais : soins après un traumatisme, angoisse, idées suicidaires.",
     ["soutien-psychologique", "soins"], ["toutes", "sexuelles", "conjugales"], ["victimes", "auteurs"],
     {"by_appointment": True, "age_min": 18, "kinds": ["psychotrauma"]}, [("02 41 00 00 24", "", "public")], (WEEKDAYS, time(9), time(17)), ("CMP adultes", "", False)),
    ("Centre de santé mentale angevin", "Centre médico-psychologique infanto-juvénile",
     "Consultations pour les enfants et les adolescents et leurs parents : soins après des violences subies ou vues à la maison.",
     ["soutien-psychologique", "soins", "parentalite"], ["toutes", "sexuelles", "conjugales"], ["mineurs", "entourage"],
     {"by_appointment": True, "minors_accepted": True, "age_max": 17, "kinds": ["psychotrauma"]}, [("02 41 00 00 25", "", "public")], (WEEKDAYS, time(9), time(17)), ("CMP infanto-juvénile", "", False)),
    ("Centre régional du psychotraumatisme des Pays de la Loire", "Consultation spécialisée en psychotraumatisme",
     "Évaluation et soins spécialisés des traumatismes liés aux violences (sexuelles, conjugales, dans l'enfance) ; avis aux professionnels.",
     ["soutien-psychologique", "soins"], ["sexuelles", "conjugales", "toutes"], ["victimes", "professionnels"],
     {**DEPARTMENT, "by_appointment": True, "kinds": ["psychotrauma"]}, [("02 41 00 00 26", "", "public")], (WEEKDAYS, time(9), time(17)), None),
    ("Centre ressource pour les intervenants auprès des auteurs de violences sexuelles des Pays de la Loire", "CRIAVS : appui aux professionnels",
     "Documentation, formation et avis pour les professionnels qui accompagnent des auteurs de violences sexuelles. N'accueille pas le public.",
     ["formation", "auteurs"], ["sexuelles"], ["professionnels"],
     {**DEPARTMENT, "visibility": "professionals", "remote": True, "kinds": ["perpetrator-resource"]}, [("02 41 00 00 27", "", "professionals")], (WEEKDAYS, time(9), time(17)), None),
    ("Défenseur des droits", "Délégué du Défenseur des droits à Angers",
     "Discrimination, harcèlement sexuel au travail, litige avec un service public : le délégué écoute, informe et peut saisir le Défenseur des droits. Gratuit.",
     ["information-juridique", "acces-au-droit"], ["harcelement", "travail"], ["victimes"],
     {"by_appointment": True, "website": "https://www.defenseurdesdroits.fr", "kinds": ["rights-defender"]}, [("02 41 00 00 28", "Rendez-vous", "public")], ([1, 3], time(9), time(12)), ("Permanence du délégué", "", False)),
    ("Association européenne contre les violences faites aux femmes au travail", "Violences sexistes et sexuelles au travail",
     "Information et soutien juridique des femmes victimes de harcèlement sexuel ou de violences sexuelles au travail, contact par écrit.",
     ["information-juridique", "aide-aux-victimes"], ["travail", "harcelement", "sexuelles"], ["victimes", "femmes"],
     {"coverage": S.NATIONAL, "remote": True, "gender": "women", "email": "contact@avft.org", "website": "https://www.avft.org", "kinds": ["workplace-violence"]}, [], None, None),
    ("Direction départementale de l'emploi, du travail et des solidarités de Maine-et-Loire", "Inspection du travail : renseignements",
     "Information sur le droit du travail pour les salariés et les employeurs ; l'inspection contrôle que l'employeur prévient et fait cesser le harcèlement sexuel.",
     ["information-juridique"], ["travail", "harcelement"], ["victimes", "professionnels"],
     {**DEPARTMENT, "walk_in": True, "by_appointment": True, "kinds": ["labour-inspection"]}, [("02 41 00 00 29", "", "public")], (WEEKDAYS, time(9), time(12)), ("Renseignements en droit du travail", "", False)),
    ("Service de prévention et de santé au travail de l'Anjou", "Santé au travail",
     "Médecins et infirmiers du travail, psychologues : un salarié peut demander une visite à tout moment ; conseil aux employeurs pour prévenir le harcèlement.",
     ["soins", "soutien-psychologique", "prevention"], ["travail", "harcelement"], ["victimes", "professionnels"],
     {**DEPARTMENT, "by_appointment": True, "kinds": ["occupational-health"]}, [("02 41 00 00 30", "", "public")], (WEEKDAYS, time(8, 30), time(17)), ("Centre de santé au travail", "", False)),
    ("ALMA Maine-et-Loire", "Écoute maltraitance des personnes âgées et handicapées",
     "Le centre d'écoute du 3977 pour le département : personnes âgées et adultes handicapés maltraités, leurs proches, les témoins et les professionnels.",
     ["ecoute", "accompagnement-social"], ["toutes"], ["agees", "handicap", "entourage", "professionnels"],
     {**DEPARTMENT, "remote": True, "kinds": ["elder-abuse"]}, [("3977", "Numéro national, relayé par le centre du département", "public"), ("02 41 00 00 31", "Ligne des professionnels", "professionals")], [(WEEKDAYS, time(9), time(19)), ([5, 6], time(9), time(13)), ([5, 6], time(14), time(19))], None),
    ("Femmes pour le dire, femmes pour agir", "Écoute Violences Femmes Handicapées",
     "Écoute des femmes en situation de handicap victimes de violences et de leurs proches. Femmes sourdes ou malentendantes : écrire à ecoute@fdfa.fr.",
     ["ecoute"], ["toutes", "conjugales", "sexuelles"], ["femmes", "handicap", "victimes", "entourage"],
     {"coverage": S.NATIONAL, "remote": True, "gender": "women", "email": "ecoute@fdfa.fr", "kinds": ["disability"]}, [("01 40 47 06 06", "", "public")], [([0], time(10), time(13)), ([0], time(14, 30), time(17, 30)), ([3], time(10), time(13))], None),
    ("SOS homophobie", "Ligne d'écoute SOS homophobie",
     "Écoute anonyme des victimes et des témoins de violences ou de discriminations LGBTphobes.",
     ["ecoute"], ["toutes"], ["lgbtqia", "victimes", "entourage"],
     {"coverage": S.NATIONAL, "remote": True, "is_anonymous": True, "website": "https://www.sos-homophobie.org", "kinds": ["lgbt"]}, [("01 48 06 42 41", "", "public")], None, None),
    ("Fondation Le Refuge", "Le Refuge, délégation d'Angers",
     "Jeunes LGBT+ de 14 à 25 ans rejetés par leur famille : écoute, mise à l'abri et accompagnement. Ligne d'urgence 24 h/24, par appel ou par SMS.",
     ["ecoute", "hebergement-urgence", "accompagnement-social"], ["toutes"], ["lgbtqia", "jeunes", "mineurs", "victimes"],
     {**DEPARTMENT, "is_24_7": True, "remote": True, "minors_accepted": True, "age_min": 14, "age_max": 25, "sms_number": "06 31 59 69 50", "website": "https://le-refuge.org", "kinds": ["lgbt"]}, [("06 31 59 69 50", "Ligne d'urgence, appel ou SMS", "public")], None, None),
    ("Mouvement du Nid, délégation de Maine-et-Loire", "Accompagnement des personnes prostituées",
     "Rencontre et accompagnement des personnes en situation de prostitution, sans jugement, et soutien dans le parcours de sortie de la prostitution.",
     ["ecoute", "accompagnement-social"], ["prostitution"], ["victimes"],
     {**DEPARTMENT, "by_appointment": True, "kinds": ["prostitution"]}, [("02 41 00 00 32", "", "public")], ([1, 3], time(14), time(18)), ("", "", False)),
    ("Association ALC", "Ac.Sé — accueil sécurisant des victimes de la traite",
     "Mise à l'abri loin du lieu d'exploitation et accompagnement des victimes majeures de la traite des êtres humains. La demande est faite par un professionnel auprès de la coordination nationale.",
     ["hebergement-urgence", "accompagnement-social"], ["prostitution"], ["victimes", "professionnels", "etrangeres"],
     {"coverage": S.NATIONAL, "referral_only": True, "remote": True, "age_min": 18, "website": "http://www.acse-alc.org", "kinds": ["prostitution"]}, [], None, None),
    ("Le Zinc du Ralliement (démo)", "Demandez Angela",
     "Quelqu'un vous importune ou vous fait peur ? Demandez « Où est Angela ? » au personnel : on vous met à l'abri, on vous aide à appeler un proche, un taxi ou la police.",
     ["lieu-refuge"], ["espace-public", "harcelement", "sexuelles"], ["victimes"],
     {"coverage": S.COMMUNES, "coverage_communes": [ANGERS_CODE], "walk_in": True, "kinds": ["safe-venue"]}, [], (range(1, 6), time(18), time(23, 30)), ("", "Quartier du Ralliement", False)),
    ("La Gabare (démo)", "Demandez Angela",
     "Quelqu'un vous importune ou vous fait peur ? Demandez « Où est Angela ? » au personnel : on vous met à l'abri, on vous aide à appeler un proche, un taxi ou la police.",
     ["lieu-refuge"], ["espace-public", "harcelement", "sexuelles"], ["victimes"],
     {"coverage": S.COMMUNES, "coverage_communes": [ANGERS_CODE], "walk_in": True, "kinds": ["safe-venue"]}, [], (range(2, 7), time(18), time(23, 30)), ("", "Quartier de la Doutre", False)),
    ("Université d'Angers", "Service de santé étudiante",
     "Médecins, infirmières et psychologues pour les étudiants : consultations gratuites, contraception d'urgence, soutien après des violences.",
     ["soins", "soutien-psychologique", "sante-sexuelle"], ["sexuelles", "milieu-etudiant", "toutes"], ["jeunes", "victimes"],
     {"walk_in": True, "by_appointment": True, "kinds": ["student-health"]}, [("02 41 00 00 33", "", "public")], (WEEKDAYS, time(8, 30), time(17)), ("Service de santé étudiante", "", False)),
]  # fmt: skip

# Exceptional hours around Christmas 2026, by position in SERVICES: date, opens, closes, notice
# (no hours: closed all day).
EXCEPTIONS = {
    8: [  # Solidarité Femmes 49, accueil de jour (Tu, Th, Fr 14:00-17:30)
        (date(2026, 12, 24), time(14), time(16), "Veille de Noël"),
        (date(2026, 12, 31), time(14), time(16), "Veille du jour de l'an"),
    ],
    10: [  # France Victimes 49 (weekdays 9:00-17:00)
        (date(2026, 12, 24), time(9), time(12), "Veille de Noël"),
        (date(2026, 12, 26), time(10), time(12), "Permanence exceptionnelle"),
        (date(2027, 1, 1), None, None, "Jour de l'an"),
    ],
}


def load_demo_data() -> list:
    territory = Territory.objects.get(slug="angers-loire-metropole")
    angers = Commune.objects.get(pk="49007")
    terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
    for index, row in enumerate(SERVICES):
        org_name, name, summary, helps, violences, publics, options, phones, hours, place = row
        organisation, _ = Organisation.objects.get_or_create(
            territory=territory,
            name=org_name,
            defaults={"kind": ORGANISATION_KINDS.get(org_name, K.ASSOCIATION), "commune": angers},
        )
        options = dict(options)
        languages = options.pop("languages", ["fr"])
        kinds = options.pop("kinds", [])
        covered = options.pop("coverage_communes", None)
        service = Service.objects.filter(source="demo", source_id=f"angers-{index}").first()
        service = service or Service(source="demo", source_id=f"angers-{index}")
        service.organisation = organisation
        service.name, service.summary = name, summary
        service.status = Service.Status.PUBLISHED
        service.last_verified_on = timezone.localdate()
        for key, value in options.items():
            setattr(service, key, value)
        save_service(
            service,
            terms={
                "help_types": [terms["help", c] for c in helps],
                "violence_types": [terms["violence", c] for c in violences],
                "publics": [terms["public", c] for c in publics],
                "languages": [terms["language", c] for c in languages],
                "kinds": [terms["kind", c] for c in kinds],
            },
        )
        service.phones.all().delete()
        for position, (number, label, visibility) in enumerate(phones):
            ServicePhone.objects.create(
                service=service,
                number=number,
                label=label,
                visibility=Visibility(visibility),
                position=position,
            )
        service.opening_slots.all().delete()
        # One (days, opens, closes) or a list of them (split hours).
        for days, opens, closes in [hours] if isinstance(hours, tuple) else hours or []:
            OpeningSlot.objects.bulk_create(
                OpeningSlot(service=service, weekday=d, opens=opens, closes=closes) for d in days
            )
        service.opening_exceptions.all().delete()
        for on, opens, closes, notice in EXCEPTIONS.get(index, []):
            exception = OpeningException(
                service=service, on=on, opens=opens, closes=closes, notice=notice
            )
            exception.full_clean()
            exception.save()
        service.places.all().delete()
        if place:
            place_name, address, hidden, *where = place
            commune = Commune.objects.get(pk=where[0]) if where else angers
            # Spread around the centre of Angers, or at the centre of another commune (demo
            # coordinates, not real addresses).
            latitude, longitude = CENTRES.get(
                commune.pk,
                (ANGERS[0] + 0.004 * (index % 5 - 2), ANGERS[1] + 0.006 * (index % 3 - 1)),
            )
            Place.objects.create(
                service=service,
                name=place_name,
                address=address,
                postal_code=commune.postal_codes[0] if where else "49000",
                commune=commune,
                latitude=None if hidden else latitude,
                longitude=None if hidden else longitude,
                hide_address=hidden,
            )
        if covered:
            service.coverage_communes.set(Commune.objects.filter(insee_code__in=covered))
        elif service.coverage == S.COMMUNES:
            service.coverage = S.EPCI
            service.save(update_fields=["coverage"])
            service.coverage_communes.set(territory.communes.all())
    from .search import reindex

    reindex(Service.objects.filter(source="demo").prefetch_related("places__commune"))
    return []
