"""The default orientation rules, as data: which national numbers, local contacts, dated
steps, duties and advice fit a situation (situation.py). composition.py reads them, checks
them (`check_rules`) and composes a result; every territory starts from this set.

A rule is a dict:
- `id`: a stable slug, named in every message about the rule;
- `when`: the conditions, all of which must hold (see CONDITIONS), e.g.
  `{"asker": ["victim"], "forms_any": ["conjugal"], "sex_not": ["male"]}`;
- what it adds: `numbers` (national number codes with why they fit), `kinds` (kinds of local
  contact, from the directory's taxonomy), `steps`, `duties`, `advice` (ids of the texts
  below), `urgency` (U1 call now, U2 today, U3 within days, U4 no deadline);
- `rank`: lower first (numbers and contacts are shown by rank, then in the rule's order);
- `never_numbers`, `never_kinds`: what must not be shown when the rule holds, whatever
  another rule adds (a man is not sent to a women's line).

Besides the rules, each national number and kind of contact has its public (NUMBER_PUBLICS,
KIND_PUBLICS): a rule that proposes one outside its public is refused by check_rules, and the
composition never shows it there.

Sources: ../shared/orientation-situations.md §3 (numbers and legal texts, verified), HAS 2019,
MIPROF's fiches réflexes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

URGENCIES = {
    "U1": _("Danger maintenant : appeler tout de suite."),
    "U2": _("Aujourd'hui : soins, preuves ou mise à l'abri ce soir."),
    "U3": _("Dans les jours qui viennent."),
    "U4": _("Information et soutien, sans délai."),
}

# The publics of the national numbers: the conditions a situation must meet for the number
# to be shown (same vocabulary as a rule's `when`).
NUMBER_PUBLICS: dict[str, dict] = {
    # Women victims, their entourage and the professionals; not for men, nor for an author. A
    # child is concerned through the mother (violence in the couple, excision, forced marriage).
    "3919": {
        "asker_not": ["author"],
        "sex_not": ["male"],
        "any_of": [{"minor": False}, {"forms_any": ["conjugal", "fgm", "forced_marriage"]}],
    },
    # Children and young people, or an adult worried about a child.
    "119": {
        "asker_not": ["author"],
        "any_of": [
            {"minor": True},
            {"needs_any": ["children"]},
            {"forms_any": ["childhood", "incest"]},
        ],
    },
    # Young victims of online violence and school harassment, never an adult.
    "3018": {"minor": True},
    "3977": {
        "any_of": [
            {"age_min": 60},
            {"forms_any": ["elder_abuse"]},
            {"constraints_any": ["disability"]},
        ]
    },
    "fdfa": {"sex_not": ["male"], "constraints_any": ["disability", "deaf"]},
    "refuge": {"age_min": 14, "age_max": 25, "constraints_any": ["lgbt"]},
    "auteurs": {"asker": ["author", "professional"]},
    "116006": {"asker_not": ["author"]},
    "cfcv": {"asker_not": ["author"]},
}

# The publics of the kinds of contact (the service's own public — sex, age — is read from the
# directory as well, see contacts.py).
KIND_PUBLICS: dict[str, dict] = {
    "perpetrator-programme": {"asker": ["author", "professional"]},
    "perpetrator-resource": {"asker": ["professional"]},
    "conjugal-violence": {"asker_not": ["author"], "sex_not": ["male"]},
    "shelter": {"asker_not": ["author"]},
    "victim-support": {"asker_not": ["author"]},
    "child-forensic": {"minor": True},
    "child-protection": {
        "asker_not": ["author"],
        "any_of": [
            {"minor": True},
            {"needs_any": ["children"]},
            {"forms_any": ["childhood", "incest", "fgm"]},
        ],
    },
    "maternal-child-health": {"asker_not": ["author"]},
    "university": {"setting": ["university"]},
    "student-health": {"setting": ["university"]},
    "labour-inspection": {"any_of": [{"forms_any": ["workplace"]}, {"setting": ["work"]}]},
    "disability": {"sex_not": ["male"], "constraints_any": ["disability", "deaf"]},
    "elder-abuse": {
        "any_of": [
            {"age_min": 60},
            {"forms_any": ["elder_abuse"]},
            {"constraints_any": ["disability"]},
        ]
    },
    "sexual-violence": {"age_min": 16},
    "forensic": {"minor": False},
}

STEPS: dict[str, dict] = {
    "call-emergency": {
        "text": _(
            "Appeler le 17 (police, gendarmerie) ou le 112 dès que c'est possible sans risque : "
            "donner l'adresse précise, l'étage, le code d'entrée."
        ),
    },
    "sms-114": {
        "text": _(
            "Si parler est impossible : écrire au 114 par SMS (ou avec l'application « Urgence "
            "114 ») : l'adresse précise, l'étage, ce qui se passe. Il prévient la police."
        ),
    },
    "emergency-care": {
        "text": _(
            "Se faire soigner aux urgences de l'hôpital, même sans blessure visible : les soins "
            "ne dépendent pas d'une plainte."
        ),
    },
    "hiv-pep": {
        "text": _(
            "Traitement préventif du VIH (TPE) aux urgences : au plus tard 48 h après les faits, "
            "idéalement dans les 4 heures."
        ),
        "deadline_hours": 48,
    },
    "emergency-contraception": {
        "text": _(
            "Contraception d'urgence, gratuite et sans ordonnance en pharmacie, à tout âge : "
            "dans les 3 jours (lévonorgestrel) ou dans les 5 jours (ulipristal)."
        ),
        "deadline_hours": 120,
    },
    "preserve-evidence": {
        "text": _(
            "Preuves : si possible ne pas se laver, garder les vêtements dans un sac en papier "
            "(pas en plastique), noter ce dont on se souvient. L'examen médico-légal se fait "
            "après une plainte, le plus tôt possible (dans les 5 jours)."
        ),
        "deadline_hours": 120,
    },
    "toxicology": {
        "text": _(
            "Soupçon de drogue ou de médicament donné à son insu : analyses de sang et d'urine "
            "aux urgences le plus vite possible, certaines substances ne se détectent plus "
            "après 12 heures. Garder ses urines dans un flacon propre si l'on ne peut pas y "
            "aller tout de suite."
        ),
        "deadline_hours": 12,
    },
    "shelter-tonight": {
        "text": _(
            "Pour cette nuit : appeler le 115 (gratuit, 24 h/24) pour une mise à l'abri, avec "
            "les enfants s'il y en a."
        ),
    },
    "act-before-departure": {
        "text": _(
            "Agir avant le départ à l'étranger : une ordonnance de protection ou le procureur "
            "peuvent interdire la sortie du territoire ; mettre une copie de ses papiers en "
            "lieu sûr, auprès d'une personne de confiance."
        ),
        "deadline": "departure",
    },
    "keep-messages": {
        "text": _(
            "Garder les messages, SMS, courriels et captures d'écran (avec la date), sans les "
            "effacer : ce sont des preuves."
        ),
    },
    "check-device": {
        "text": _(
            "Logiciel espion ou balise : faire vérifier le téléphone ou la voiture (gendarmerie, "
            "police, 17Cyber) avant de supprimer quoi que ce soit ; supprimer pourrait effacer "
            "une preuve et alerter l'auteur."
        ),
    },
}

DUTIES: dict[str, dict] = {
    "art-40-cpp": {
        "legal_basis": "art. 40 CPP",
        "text": _(
            "Agent public : un crime ou un délit connu dans l'exercice de vos fonctions se "
            "signale sans délai au procureur de la République, en informant votre hiérarchie "
            "(le chef d'établissement dans l'Éducation nationale). Notez les mots exacts ; "
            "n'enquêtez pas, ne confrontez ni la famille ni l'auteur."
        ),
        "limits": _(
            "Pour une victime majeure, parlez-en avec elle d'abord et dites-lui ce que vous "
            "allez faire : l'accompagnement continue avec son accord."
        ),
    },
    "art-434-3-cp": {
        "legal_basis": "art. 434-3 CP",
        "text": _(
            "Quiconque a connaissance de privations, de mauvais traitements ou d'agressions ou "
            "atteintes sexuelles infligés à un mineur, ou à une personne hors d'état de se "
            "protéger (âge, maladie, handicap, grossesse), doit en informer les autorités "
            "judiciaires ou administratives."
        ),
        "limits": _(
            "Les personnes tenues au secret professionnel en sont dispensées, sauf si la loi "
            "en dispose autrement ; elles peuvent signaler (art. 226-14 CP). Peine aggravée "
            "quand le mineur a moins de 15 ans."
        ),
    },
    "information-preoccupante": {
        "legal_basis": "art. L226-2-1 CASF",
        "text": _(
            "Un enfant en danger ou en risque de l'être : transmettre une information "
            "préoccupante à la cellule départementale (CRIP). Le 119 conseille les "
            "professionnels, 24 h/24."
        ),
        "limits": _(
            "Les parents sont informés de la transmission, sauf si c'est contraire à l'intérêt "
            "de l'enfant. Ne demandez pas à l'enfant de « prouver » ce qu'il dit."
        ),
    },
    "report-prosecutor": {
        "legal_basis": "art. L226-4 CASF ; art. 375-5 C. civ.",
        "text": _(
            "Danger grave et immédiat pour un enfant (violences sexuelles, départ imminent à "
            "l'étranger) : signalement direct au procureur de la République, copie à la CRIP. "
            "Le procureur peut interdire la sortie du territoire (2 mois au plus)."
        ),
        "limits": _("En cas de danger ce soir : le 17."),
    },
    "art-226-14-1": {
        "legal_basis": "art. 226-14 1° CP",
        "text": _(
            "Le secret médical ne s'oppose pas au signalement de violences sur un mineur ou sur "
            "une personne qui n'est pas en mesure de se protéger (âge, handicap) : l'accord "
            "n'est pas nécessaire."
        ),
        "limits": _("Le signalement fait de bonne foi n'engage pas votre responsabilité."),
    },
    "art-226-14-2": {
        "legal_basis": "art. 226-14 2° CP",
        "text": _(
            "Victime majeure : avec son accord, vous pouvez signaler au procureur les violences "
            "que vous avez constatées. Remettez-lui un certificat descriptif et tracez-le dans "
            "le dossier."
        ),
        "limits": _(
            "Sans son accord, pas de signalement (sauf le cas du 3°). Respectez son rythme : "
            "elle n'est pas obligée de porter plainte."
        ),
    },
    "art-226-14-3": {
        "legal_basis": "art. 226-14 3° CP",
        "text": _(
            "Violences dans le couple : si vous estimez que sa vie est en danger immédiat et "
            "qu'elle est sous l'emprise de l'auteur, vous pouvez signaler au procureur sans "
            "son accord."
        ),
        "limits": _(
            "Cherchez d'abord son accord ; à défaut, informez-la du signalement. Ce cas ne "
            "concerne que les violences au sein du couple."
        ),
    },
    "employer-l1153-5": {
        "legal_basis": "C. trav. L1153-5",
        "text": _(
            "Employeur : prévenir, faire cesser et sanctionner le harcèlement sexuel. Mener une "
            "enquête interne, protéger la salariée sans la pénaliser (pas de mutation imposée), "
            "associer le référent harcèlement du CSE, afficher les recours (inspection du "
            "travail, médecin du travail, Défenseur des droits)."
        ),
        "limits": _(
            "Un employeur privé n'est pas soumis à l'article 40 CPP : la plainte appartient à "
            "la salariée. Pas de confrontation imposée."
        ),
    },
    "art-223-6-cp": {
        "legal_basis": "art. 223-6 CP",
        "text": _(
            "Porter secours à une personne en danger, sans risque pour soi : appeler le 17 ou "
            "le 112, c'est porter secours."
        ),
        "limits": _("N'intervenez pas physiquement ; restez disponible comme témoin."),
    },
}

ADVICE: dict[str, object] = {
    "complaint-anywhere": _(
        "Une plainte peut être déposée dans n'importe quel commissariat ou gendarmerie, qui doit "
        "l'enregistrer (art. 15-3 CPP), ou par lettre au procureur. C'est un choix, pas une "
        "obligation, et on peut venir accompagné·e."
    ),
    "protection-order": _(
        "Ordonnance de protection : le juge aux affaires familiales peut la délivrer sans "
        "plainte préalable, en 6 jours, pour 12 mois (éviction, interdiction de contact). Le "
        "procureur peut demander une ordonnance provisoire en 24 h."
    ),
    "no-pressure": _(
        "Chacun avance à son rythme : s'informer ne vous oblige à rien, ni à partir ni à porter "
        "plainte."
    ),
    "do-not-confront": _(
        "Ne confrontez pas l'auteur ni la famille : cela peut mettre la personne en danger et "
        "nuire à l'enquête."
    ),
    "note-exact-words": _(
        "Écoutez sans poser de questions orientées, notez les mots exacts et la date, dites à "
        "la personne que vous la croyez et que vous allez en parler à qui peut l'aider. "
        "N'enquêtez pas."
    ),
    "child-exposed-is-victim": _(
        "Un enfant exposé aux violences dans le couple est lui-même victime."
    ),
    "interpreter": _(
        "Un interprète est dû pour porter plainte et pour l'audition, et le récépissé est "
        "traduit (art. D594-11 et D594-12 CPP)."
    ),
    "residence-permit": _(
        "Une plainte n'entraîne pas d'expulsion. Une victime qui obtient une ordonnance de "
        "protection reçoit une carte de séjour « vie privée et familiale » (CESEDA L425-6) ; "
        "une victime de traite qui porte plainte ou témoigne aussi."
    ),
    "limitation-periods": _(
        "Délais pour porter plainte : 20 ans pour un viol sur une personne majeure, 30 ans à "
        "partir de la majorité pour un viol sur mineur, 6 ans pour les délits (agression "
        "sexuelle, harcèlement). Un·e avocat·e ou un point-justice vérifie votre cas."
    ),
    "forced-marriage-protection": _(
        "Menace de mariage forcé : le juge aux affaires familiales peut délivrer une "
        "ordonnance de protection avec interdiction de sortie du territoire (art. 515-13 C. "
        "civ.). Contraindre quelqu'un à se marier à l'étranger est un délit (art. 222-14-4 CP)."
    ),
    "pharmacy-alert": _(
        "Alerte en pharmacie ou à l'accueil : isolez la personne dans un endroit calme, hors de "
        "la vue de qui l'accompagne ; avec son accord, appelez le 17. Ne prenez pas de notes "
        "nominatives."
    ),
    "safe-venue-protocol": _(
        "« Demandez Angela » : la personne est mise à l'abri dans un endroit calme du lieu, on "
        "appelle pour elle un taxi, un proche ou le 17, et le 15 si elle semble droguée."
    ),
    "do-not-intervene-physically": _(
        "N'intervenez pas physiquement. Appelez le 17 ou le 112 en donnant l'adresse et "
        "l'étage, et restez disponible comme témoin."
    ),
    "keep-the-link": _(
        "Gardez le lien sans juger ni imposer : pas d'ultimatum, pas de plainte à sa place "
        "sauf danger. Dites-lui que vous êtes là, préparez avec elle les numéros utiles."
    ),
    "prostitution-exit": _(
        "Parcours de sortie de la prostitution : autorisation de séjour de 6 mois, aide "
        "financière, logement, décidés par la commission départementale, avec une "
        "association agréée. Une victime de traite a 30 jours de réflexion avant de décider "
        "de porter plainte ou de témoigner."
    ),
    "spyware": _(
        "Géolocaliser quelqu'un sans son consentement est un délit, aggravé dans le couple "
        "(art. 226-1 CP). Utilisez un appareil dont il ne connaît pas le code pour chercher de "
        "l'aide."
    ),
    "danger-signs": _(
        "Signes de danger à prendre au sérieux : violences plus fréquentes ou plus graves, "
        "menaces de mort, tentative d'étranglement, arme, séparation récente, grossesse. Le "
        "violentomètre aide à s'y retrouver."
    ),
    "pregnancy-risk": _(
        "La grossesse est un moment où les violences commencent ou s'aggravent : posez la "
        "question à chaque consultation (HAS, 2019) et notez ce que vous constatez."
    ),
    "psychotrauma-care": _(
        "Les cauchemars, l'insomnie, l'évitement sont des réactions connues après une "
        "agression, et se soignent : « Mon soutien psy » donne 12 séances par an chez un "
        "psychologue, sans ordonnance."
    ),
    "suicide-risk": _("Des idées suicidaires : le 3114, gratuit, 24 h/24."),
    "author-crisis": _(
        "Si la tension monte : s'éloigner, sortir, appeler quelqu'un. En cas de crise, le 15."
    ),
    "male-victims": _(
        "Les hommes victimes de violences dans le couple sont entendus et accompagnés, comme "
        "toute victime : la honte n'a pas lieu d'être."
    ),
    "lgbt-couple": _(
        "Les violences dans un couple de même sexe sont des violences conjugales : "
        "l'ordonnance de protection et les aides valent pour tout couple."
    ),
    "public-space-offence": _(
        "Outrage sexiste et sexuel, harcèlement, attouchements dans la rue ou les transports "
        "sont punis : une plainte est possible, même sans connaître l'auteur."
    ),
    "university-duty": _(
        "L'université informée est tenue de signaler au procureur (art. 40 CPP) et de "
        "protéger l'étudiante ; la cellule d'écoute accompagne sans obliger à rien."
    ),
    "relative-of-victim": _("Les proches aussi peuvent appeler pour être conseillés."),
    "abroad-contact": _(
        "Depuis l'étranger, le 116 006 se joint au +33 1 80 52 33 76 ; l'ambassade ou le "
        "consulat de votre pays peut aussi vous aider."
    ),
}

_VICTIM_SIDE = ["victim", "relative", "witness", "professional"]
_SEXUAL = ["sexual", "incest", "night_drugging"]

RULES: list[dict] = [
    # -- immediate danger --------------------------------------------------------------------
    {
        "id": "danger-now",
        "when": {"danger_now": True},
        "numbers": [
            ("17", _("Danger immédiat : la police ou la gendarmerie intervient.")),
            ("112", _("Le numéro d'urgence européen, depuis n'importe quel téléphone.")),
            ("15", _("Blessure, malaise : le SAMU.")),
        ],
        "steps": ["call-emergency"],
        "urgency": "U1",
        "rank": 0,
    },
    {
        "id": "cannot-speak",
        "when": {"can_speak": False},
        "numbers": [("114", _("Alerter par SMS quand parler est impossible ou dangereux."))],
        "steps": ["sms-114"],
        "urgency": "U1",
        "rank": -1,
    },
    {
        "id": "witness-now",
        "when": {"asker": ["witness", "relative"], "danger_now": True},
        "advice": ["do-not-intervene-physically"],
        "duties": ["art-223-6-cp"],
        "rank": 0,
    },
    # -- violence in the couple ------------------------------------------------------------
    {
        "id": "conjugal-women",
        "when": {"asker": _VICTIM_SIDE, "forms_any": ["conjugal"], "sex_not": ["male"]},
        "numbers": [
            (
                "3919",
                _(
                    "Écoute, information et orientation, 24 h/24, gratuit et anonyme ; pour les "
                    "proches et les professionnels aussi."
                ),
            ),
        ],
        "kinds": ["conjugal-violence", "victim-support", "womens-rights", "forensic"],
        "steps": ["keep-messages"],
        "advice": ["complaint-anywhere", "protection-order", "danger-signs", "no-pressure"],
        "urgency": "U3",
        "rank": 20,
    },
    {
        "id": "conjugal-men",
        "when": {"asker": _VICTIM_SIDE, "forms_any": ["conjugal"], "sex": ["male"]},
        "numbers": [
            ("116006", _("Aide aux victimes, hommes compris : écoute et orientation, 7 j/7.")),
        ],
        "kinds": ["victim-support", "legal-access", "forensic"],
        "steps": ["keep-messages"],
        "advice": ["male-victims", "complaint-anywhere", "protection-order"],
        "never_numbers": ["3919"],
        "never_kinds": ["conjugal-violence"],
        "urgency": "U3",
        "rank": 15,
    },
    {
        "id": "same-sex-couple",
        "when": {"forms_any": ["conjugal"], "constraints_any": ["lgbt"]},
        "numbers": [("sos-homophobie", _("Écoute des personnes LGBT+ victimes de violences."))],
        "advice": ["lgbt-couple"],
        "rank": 40,
    },
    {
        "id": "threats-protection",
        "when": {"asker": _VICTIM_SIDE, "needs_any": ["protection"]},
        "kinds": ["womens-rights", "victim-support", "legal-access"],
        "steps": ["keep-messages"],
        "advice": ["protection-order", "complaint-anywhere"],
        "urgency": "U2",
        "rank": 25,
    },
    {
        "id": "relative-of-adult",
        "when": {"asker": ["relative", "witness"], "minor": False},
        "advice": ["keep-the-link", "relative-of-victim"],
        "rank": 50,
    },
    # -- sexual violence -----------------------------------------------------------------
    {
        "id": "sexual-recent",
        "when": {"asker": _VICTIM_SIDE, "forms_any": _SEXUAL, "days_max": 5},
        "kinds": ["emergency-department", "forensic"],
        "steps": ["emergency-care", "hiv-pep", "preserve-evidence"],
        "urgency": "U2",
        "rank": 5,
    },
    {
        "id": "sexual-recent-contraception",
        "when": {
            "asker": _VICTIM_SIDE,
            "forms_any": _SEXUAL,
            "days_max": 5,
            "sex_not": ["male"],
            "age_min": 11,
        },
        "steps": ["emergency-contraception"],
        "rank": 5,
    },
    {
        "id": "night-drugging",
        "when": {"forms_any": ["night_drugging"], "days_max": 5},
        "steps": ["toxicology"],
        "kinds": ["emergency-department", "victim-support"],
        "urgency": "U2",
        "rank": 5,
    },
    {
        "id": "sexual-adult",
        "when": {
            "asker": _VICTIM_SIDE,
            "forms_any": ["sexual", "incest", "night_drugging"],
            "minor": False,
        },
        "numbers": [
            (
                "cfcv",
                _(
                    "Viols Femmes Informations : écoute des victimes de viol et d'agression "
                    "sexuelle, même ancienne, gratuit et anonyme."
                ),
            ),
        ],
        "kinds": ["victim-support", "sexual-violence"],
        "advice": ["complaint-anywhere", "no-pressure"],
        "urgency": "U3",
        "rank": 20,
    },
    {
        "id": "sexual-past",
        "when": {"forms_any": ["sexual", "incest", "childhood"], "days_min": 365},
        "kinds": ["victim-support", "sexual-violence", "legal-access"],
        "advice": ["limitation-periods"],
        "never_kinds": ["emergency-department", "forensic"],
        "rank": 15,
    },
    {
        "id": "after-effects",
        "when": {
            "forms_any": ["sexual", "incest", "childhood", "night_drugging", "conjugal"],
            "days_min": 30,
        },
        "kinds": ["psychotrauma"],
        "advice": ["psychotrauma-care"],
        "rank": 35,
    },
    {
        "id": "after-effects-women",
        "when": {
            "forms_any": ["sexual", "incest", "childhood", "night_drugging", "conjugal"],
            "days_min": 30,
            "sex_not": ["male"],
            "minor": False,
        },
        "kinds": ["womens-health"],
        "rank": 36,
    },
    {
        "id": "harassment",
        "when": {"asker": _VICTIM_SIDE, "forms_any": ["sexual_harassment"]},
        "kinds": ["victim-support", "womens-rights"],
        "advice": ["limitation-periods", "complaint-anywhere"],
        "urgency": "U4",
        "rank": 20,
    },
    {
        "id": "psychological-need",
        "when": {"needs_any": ["psychological"]},
        "numbers": [("3114", _("Si des idées suicidaires viennent : gratuit, 24 h/24."))],
        "kinds": ["psychotrauma", "victim-support"],
        "advice": ["psychotrauma-care", "suicide-risk"],
        "rank": 30,
    },
    # -- children --------------------------------------------------------------------------
    {
        "id": "minor-victim",
        "when": {
            "asker": _VICTIM_SIDE,
            "any_of": [{"minor": True}, {"forms_any": ["childhood", "incest"]}],
        },
        "numbers": [
            (
                "119",
                _(
                    "Allô Enfance en danger : conseil 24 h/24, pour l'enfant comme pour les "
                    "adultes inquiets ; n'apparaît pas sur les factures."
                ),
            ),
        ],
        "kinds": ["child-protection"],
        "advice": ["do-not-confront"],
        "urgency": "U3",
        "rank": 15,
    },
    {
        "id": "minor-sexual",
        "when": {
            "asker": _VICTIM_SIDE,
            "minor": True,
            "forms_any": ["sexual", "incest", "night_drugging"],
        },
        "numbers": [
            (
                "17",
                _(
                    "Pour porter plainte, ou tout de suite en cas de danger : l'enfant sera "
                    "entendu dans une salle adaptée, sur réquisition."
                ),
            ),
        ],
        "kinds": ["child-forensic", "victim-support", "psychotrauma"],
        "urgency": "U2",
        "rank": 10,
    },
    {
        "id": "children-at-home",
        "when": {
            "asker": _VICTIM_SIDE,
            "forms_any": ["conjugal"],
            "any_of": [{"minor": True}, {"needs_any": ["children"]}],
        },
        "numbers": [("119", _("Pour les enfants exposés aux violences : conseil 24 h/24."))],
        "advice": ["child-exposed-is-victim"],
        "rank": 30,
    },
    {
        "id": "online-young",
        "when": {"forms_any": ["online", "sexual_harassment"], "minor": True},
        "numbers": [
            (
                "3018",
                _(
                    "Harcèlement en ligne ou à l'école, images intimes : pour les "
                    "jeunes, les parents et les professionnels."
                ),
            )
        ],
        "rank": 20,
    },
    # -- professionals' duties ---------------------------------------------------------------
    {
        "id": "duty-to-inform",
        "when": {
            "asker": ["relative", "witness", "professional"],
            "any_of": [
                {"minor": True},
                {"forms_any": ["childhood", "incest", "elder_abuse"]},
                {"constraints_any": ["disability"]},
            ],
        },
        "duties": ["art-434-3-cp"],
        "rank": 50,
    },
    {
        "id": "professional-child",
        "when": {
            "asker": ["professional"],
            "any_of": [
                {"minor": True},
                {"forms_any": ["childhood", "incest", "fgm"]},
                {"needs_any": ["children"]},
            ],
        },
        "duties": ["information-preoccupante"],
        "advice": ["note-exact-words"],
        "kinds": ["child-protection"],
        "rank": 10,
    },
    {
        "id": "professional-child-grave",
        "when": {
            "asker": ["professional"],
            "minor": True,
            "forms_any": ["sexual", "incest", "fgm", "forced_marriage"],
        },
        "duties": ["report-prosecutor"],
        "urgency": "U2",
        "rank": 10,
    },
    {
        "id": "public-servant",
        "when": {"asker": ["professional"], "professional_kind": ["public_servant", "education"]},
        "duties": ["art-40-cpp"],
        "rank": 10,
    },
    {
        "id": "health-vulnerable",
        "when": {
            "asker": ["professional"],
            "professional_kind": ["health"],
            "any_of": [
                {"minor": True},
                {"constraints_any": ["disability"]},
                {"forms_any": ["elder_abuse", "fgm"]},
            ],
        },
        "duties": ["art-226-14-1"],
        "rank": 10,
    },
    {
        "id": "health-adult",
        "when": {"asker": ["professional"], "professional_kind": ["health"], "minor": False},
        "duties": ["art-226-14-2"],
        "advice": ["no-pressure"],
        "rank": 10,
    },
    {
        "id": "health-couple",
        "when": {
            "asker": ["professional"],
            "professional_kind": ["health"],
            "forms_any": ["conjugal"],
            "minor": False,
        },
        "duties": ["art-226-14-3"],
        "kinds": ["forensic"],
        "rank": 10,
    },
    {
        "id": "health-pregnancy",
        "when": {"constraints_any": ["pregnant"], "asker": _VICTIM_SIDE},
        "kinds": ["maternal-child-health", "maternity"],
        "advice": ["pregnancy-risk"],
        "urgency": "U3",
        "rank": 12,
    },
    {
        "id": "professional-couple",
        "when": {
            "asker": ["professional"],
            "forms_any": ["conjugal"],
            "minor": False,
            "professional_kind_not": ["employer"],
        },
        "numbers": [
            ("17", _("Avec son accord, si elle a peur de rentrer ou est en danger.")),
            ("114", _("Par SMS, si elle ne peut pas parler.")),
        ],
        "advice": ["pharmacy-alert"],
        "rank": 30,
    },
    {
        "id": "employer",
        "when": {"asker": ["professional"], "professional_kind": ["employer"]},
        "duties": ["employer-l1153-5"],
        "kinds": ["labour-inspection", "occupational-health", "rights-defender"],
        "numbers": [("116006", _("Pour la salariée : aide aux victimes, 7 j/7."))],
        "advice": ["limitation-periods"],
        "never_duties": ["art-40-cpp"],
        "urgency": "U3",
        "rank": 10,
    },
    {
        "id": "night-venue",
        "when": {"asker": ["professional"], "professional_kind": ["night_venue"]},
        "numbers": [
            ("17", _("Pour mettre la personne à l'abri ou si l'agresseur est encore là.")),
            ("15", _("Si elle semble droguée ou a un malaise.")),
        ],
        "advice": ["safe-venue-protocol"],
        "duties": ["art-223-6-cp"],
        "kinds": ["safe-venue"],
        "urgency": "U2",
        "rank": 5,
    },
    # -- settings ------------------------------------------------------------------------
    {
        "id": "workplace",
        "when": {
            "asker": _VICTIM_SIDE,
            "any_of": [{"forms_any": ["workplace"]}, {"setting": ["work"]}],
            "professional_kind_not": ["employer"],
        },
        "kinds": ["workplace-violence", "womens-rights", "labour-inspection"],
        "advice": ["limitation-periods"],
        "urgency": "U4",
        "rank": 25,
    },
    {
        "id": "university",
        "when": {"setting": ["university"], "asker": _VICTIM_SIDE},
        "kinds": ["university"],
        "advice": ["university-duty"],
        "rank": 12,
    },
    {
        "id": "university-health",
        "when": {"setting": ["university"], "asker": _VICTIM_SIDE},
        "kinds": ["student-health"],
        "rank": 40,
    },
    {
        "id": "public-space",
        "when": {
            "asker": _VICTIM_SIDE,
            "any_of": [{"forms_any": ["public_space"]}, {"setting": ["public_space", "transport"]}],
        },
        "numbers": [
            ("pnav", _("Signaler en ligne, échanger avec un policier ou un gendarme, 24 h/24."))
        ],
        "kinds": ["victim-support"],
        "advice": ["public-space-offence"],
        "urgency": "U4",
        "rank": 30,
    },
    {
        "id": "transport",
        "when": {"setting": ["transport"]},
        "numbers": [("3117", _("Dans un train ou une gare : 24 h/24, ou SMS au 31177."))],
        "rank": 10,
    },
    {
        "id": "online",
        "when": {"any_of": [{"forms_any": ["online"]}, {"setting": ["online"]}]},
        "numbers": [
            (
                "17cyber",
                _("Infractions en ligne : échanger avec un policier ou un gendarme, 24 h/24."),
            ),
            (
                "pnav",
                _(
                    "Violences sexistes et sexuelles : tchat anonyme avec la police et la "
                    "gendarmerie."
                ),
            ),
        ],
        "steps": ["keep-messages"],
        "rank": 25,
    },
    {
        "id": "online-couple",
        "when": {
            "forms_any": ["online"],
            "any_of": [{"forms_any": ["conjugal"]}, {"setting": ["home"]}],
        },
        "steps": ["check-device"],
        "advice": ["spyware"],
        "rank": 25,
    },
    # -- other forms ----------------------------------------------------------------------
    {
        "id": "forced-marriage",
        "when": {"forms_any": ["forced_marriage"], "asker": _VICTIM_SIDE},
        "numbers": [
            ("3919", _("Écoute et conseil sur le mariage forcé, 24 h/24.")),
            (
                "mariage-force",
                _(
                    "Le ministère des Affaires étrangères aide les personnes "
                    "menacées de mariage forcé à l'étranger."
                ),
            ),
        ],
        "kinds": ["womens-rights", "victim-support"],
        "advice": ["forced-marriage-protection"],
        "urgency": "U3",
        "rank": 10,
    },
    {
        "id": "departure-abroad",
        "when": {"departure": True, "forms_any": ["forced_marriage", "fgm"]},
        "steps": ["act-before-departure"],
        "urgency": "U3",
        "rank": 5,
    },
    {
        "id": "fgm",
        "when": {"forms_any": ["fgm"], "asker": _VICTIM_SIDE},
        "numbers": [
            ("119", _("Pour une enfant menacée d'excision : conseil 24 h/24.")),
            ("3919", _("Pour soutenir une mère qui s'oppose à l'excision.")),
        ],
        "kinds": ["child-protection"],
        "urgency": "U2",
        "rank": 10,
    },
    {
        "id": "prostitution",
        "when": {"forms_any": ["prostitution"], "asker": _VICTIM_SIDE},
        "numbers": [("115", _("Une mise à l'abri ce soir."))],
        "kinds": ["prostitution", "shelter"],
        "advice": ["prostitution-exit", "residence-permit"],
        "urgency": "U3",
        "rank": 10,
    },
    {
        "id": "elder",
        "when": {
            "asker": _VICTIM_SIDE,
            "any_of": [{"forms_any": ["elder_abuse"]}, {"age_min": 65}],
        },
        "numbers": [
            ("3977", _("Maltraitance des personnes âgées ou handicapées : écoute et relais local."))
        ],
        "kinds": ["social-services", "elder-abuse"],
        "urgency": "U3",
        "rank": 10,
    },
    {
        "id": "disability",
        "when": {"constraints_any": ["disability"], "asker": _VICTIM_SIDE},
        "numbers": [
            ("fdfa", _("Écoute Violences Femmes Handicapées.")),
            ("3977", _("Maltraitance des adultes handicapés : écoute et relais local.")),
        ],
        "kinds": ["disability"],
        "rank": 15,
    },
    {
        "id": "deaf",
        "when": {"constraints_any": ["deaf"]},
        "numbers": [
            ("114", _("Urgence par SMS, application ou visio en langue des signes, 24 h/24.")),
            (
                "3919",
                _(
                    "Accessible en langue des signes, sous-titrage et LfPC par le site de "
                    "Solidarité Femmes."
                ),
            ),
            ("fdfa", _("Les femmes sourdes écrivent à ecoute@fdfa.fr.")),
        ],
        "advice": ["interpreter"],
        "rank": 2,
    },
    {
        "id": "language",
        "when": {"languages": True},
        "numbers": [
            (
                "3919",
                _("Écoute en 12 langues à certaines heures, dont l'anglais, l'arabe et le dari."),
            )
        ],
        "kinds": ["womens-rights"],
        "advice": ["interpreter"],
        "rank": 25,
    },
    {
        "id": "language-couple",
        "when": {"languages": True, "forms_any": ["conjugal"]},
        "advice": ["residence-permit"],
        "rank": 25,
    },
    {
        "id": "abroad-visitor",
        "when": {"lang": ["en"], "asker": ["victim"]},
        "numbers": [
            (
                "112",
                _(
                    "Le numéro d'urgence européen, depuis n'importe quel téléphone ; on peut "
                    "y être répondu en anglais."
                ),
            ),
            ("17", _("La police : pour porter plainte, ou en cas de danger.")),
        ],
        "advice": ["abroad-contact"],
        "rank": 60,
    },
    {
        "id": "lgbt",
        "when": {"constraints_any": ["lgbt"]},
        "numbers": [
            ("refuge", _("Jeunes LGBT+ rejetés par leur famille : 24 h/24, appel ou SMS.")),
            ("sos-homophobie", _("Écoute des personnes LGBT+ victimes ou témoins.")),
        ],
        "kinds": ["lgbt"],
        "rank": 12,
    },
    # -- needs ---------------------------------------------------------------------------
    {
        "id": "shelter",
        "when": {"needs_any": ["shelter"], "asker_not": ["author"]},
        "numbers": [("115", _("Une place pour cette nuit, gratuit, 24 h/24."))],
        "steps": ["shelter-tonight"],
        "kinds": ["shelter"],
        "urgency": "U2",
        "rank": 8,
    },
    {
        "id": "legal-need",
        "when": {"needs_any": ["legal"], "asker_not": ["author"]},
        "numbers": [("3039", _("Information juridique gratuite près de chez vous."))],
        "kinds": ["womens-rights", "legal-access"],
        "rank": 30,
    },
    {
        "id": "complaint-need",
        "when": {"needs_any": ["complaint"], "asker_not": ["author"]},
        "kinds": ["police", "gendarmerie", "victim-support"],
        "advice": ["complaint-anywhere"],
        "rank": 30,
    },
    {
        "id": "medical-need",
        "when": {"needs_any": ["medical"]},
        "kinds": ["emergency-department"],
        "rank": 30,
    },
    {
        "id": "money-need",
        "when": {"needs_any": ["money", "social"], "asker_not": ["author"]},
        "kinds": ["social-services", "ccas", "financial-aid"],
        "rank": 40,
    },
    # -- authors -------------------------------------------------------------------------
    {
        "id": "author",
        "when": {"asker": ["author"]},
        "numbers": [
            (
                "auteurs",
                _(
                    "Écoute des personnes qui ont été violentes ou craignent de le "
                    "devenir, et orientation vers un centre de prise en charge."
                ),
            ),
            ("15", _("En cas de crise.")),
        ],
        "kinds": ["perpetrator-programme", "psychotrauma"],
        "advice": ["author-crisis"],
        "never_numbers": ["3919", "115", "116006"],
        "never_kinds": ["shelter", "conjugal-violence", "victim-support"],
        "urgency": "U4",
        "rank": 10,
    },
    # -- every victim ----------------------------------------------------------------------
    {
        "id": "any-victim",
        "when": {"asker": _VICTIM_SIDE},
        "numbers": [
            (
                "116006",
                _(
                    "Aide aux victimes : écoute et orientation vers l'association la plus "
                    "proche, 7 j/7."
                ),
            ),
        ],
        "kinds": ["victim-support"],
        "urgency": "U4",
        "rank": 80,
    },
]
