"""The default decision tree (domain.md §5.2) and the national numbers (domain.md §3).

Data, like the directory's taxonomy: the national numbers are loaded by a data migration and
corrected afterwards by an administrator; the tree is copied into each territory
(services.create_default_tree) and edited there by its coordination, version by version.
Texts are French: the tree is the territory's content, not the interface.

Path: can you answer safely → immediate danger (17, 112, 114 by SMS, 15; then continue) → a
minor involved (17 and the signalement / 119; then continue) → who asks (an author is oriented
to perpetrator programmes and stops there) → type of violence (recent sexual assault: care,
evidence, UMJ; then continue) → needs → commune → constraints → contacts.
"""

# code, number, name, what for, hours, channel, url
NATIONAL_NUMBERS = [
    ("17", "17", "Police, gendarmerie",
     "Danger immédiat, violences en cours : les forces de l'ordre interviennent.",
     "24 h/24, gratuit", "call", ""),
    ("112", "112", "Numéro d'urgence européen",
     "Toute urgence, depuis n'importe quel téléphone, même sans crédit.",
     "24 h/24, gratuit", "call", ""),
    ("114", "114", "Urgence par SMS",
     "Si vous ne pouvez pas parler : SMS, tchat ou visio en langue des signes. Pour les "
     "personnes sourdes ou malentendantes et toute personne qui ne peut pas parler sans risque.",
     "24 h/24, gratuit", "sms", ""),
    ("15", "15", "SAMU",
     "Urgence médicale, blessure, malaise.", "24 h/24, gratuit", "call", ""),
    ("18", "18", "Sapeurs-pompiers",
     "Secours, accident, incendie.", "24 h/24, gratuit", "call", ""),
    ("115", "115", "Hébergement d'urgence",
     "Une place pour cette nuit, pour vous et vos enfants.", "24 h/24, gratuit", "call", ""),
    ("3919", "3919", "Violences Femmes Info",
     "Écoute, information et orientation des femmes victimes de violences, de leur entourage "
     "et des professionnels. Ce n'est pas un numéro d'urgence.",
     "24 h/24, 7 j/7, gratuit et anonyme", "call", ""),
    ("119", "119", "Allô Enfance en danger",
     "Pour un enfant ou un adolescent en danger, ou un adulte inquiet pour un enfant. Tchat "
     "pour les moins de 21 ans sur allo119.gouv.fr.",
     "24 h/24, gratuit, n'apparaît pas sur les factures", "call", ""),
    ("3018", "3018", "Violences numériques",
     "Harcèlement en ligne, diffusion d'images intimes, chantage : pour les jeunes, les parents "
     "et les professionnels.",
     "7 j/7 de 9 h à 23 h, gratuit et anonyme", "call", ""),
    ("116006", "116 006", "Aide aux victimes",
     "Toute victime d'une infraction, ses proches et les témoins : écoute et orientation vers "
     "l'association d'aide aux victimes la plus proche.",
     "7 j/7 de 9 h à 19 h, gratuit ; depuis l'étranger : +33 1 80 52 33 76", "call", ""),
    ("cfcv", "0 800 05 95 95", "Viols Femmes Informations",
     "Victimes de viol et d'agressions sexuelles, même anciennes ou dans l'enfance.",
     "du lundi au vendredi de 10 h à 19 h, gratuit et anonyme", "call", ""),
    ("planning", "0 800 08 11 11", "Planning familial",
     "Sexualité, contraception, IVG, violences.", "gratuit et anonyme", "call", ""),
    ("auteurs", "08 019 019 11", "Écoute des auteurs de violences",
     "Pour les personnes qui ont été violentes ou ont peur de le devenir : écoute et "
     "orientation vers un centre de prise en charge des auteurs (CPCA).",
     "7 j/7", "call", ""),
    ("3117", "3117", "Alerte dans les trains et les gares",
     "Harcèlement ou agression dans un train ou une gare. Par SMS au 31177.",
     "24 h/24, appel gratuit ; SMS au 31177 au prix d'un SMS", "call", ""),
    ("3039", "3039", "Points-justice",
     "Information juridique gratuite, près de chez vous.", "", "call", ""),
    ("pnav", "", "Tchat avec la police et la gendarmerie",
     "Échanger par écrit, anonymement, avec des policiers et des gendarmes formés, préparer une "
     "plainte ; un bouton permet de quitter et d'effacer la conversation.",
     "24 h/24", "web", "https://arretonslesviolences.gouv.fr"),
    ("3977", "3977", "Maltraitance des personnes âgées et des adultes handicapés",
     "Personnes âgées et adultes en situation de handicap victimes de maltraitance, leurs "
     "proches, les témoins et les professionnels. Accessible aux personnes sourdes.",
     "du lundi au vendredi de 9 h à 19 h, samedi et dimanche de 9 h à 13 h et de 14 h à 19 h, "
     "gratuit", "call", ""),
    ("fdfa", "01 40 47 06 06", "Écoute Violences Femmes Handicapées",
     "Femmes en situation de handicap victimes de violences (association FDFA). Femmes sourdes "
     "ou malentendantes : écrire à ecoute@fdfa.fr.",
     "lundi de 10 h à 13 h et de 14 h 30 à 17 h 30, jeudi de 10 h à 13 h", "call", ""),
    ("refuge", "06 31 59 69 50", "Le Refuge",
     "Jeunes LGBT+ rejetés par leur famille : écoute, mise à l'abri et accompagnement.",
     "24 h/24, appel ou SMS, de 14 à 25 ans", "call", ""),
    ("sos-homophobie", "01 48 06 42 41", "SOS homophobie",
     "Victimes et témoins de violences ou de discriminations LGBTphobes : écoute anonyme.",
     "", "call", ""),
    ("3114", "3114", "Prévention du suicide",
     "Idées suicidaires, détresse, ou inquiétude pour un proche : des soignants formés "
     "répondent.", "24 h/24, 7 j/7, gratuit", "call", ""),
    ("17cyber", "", "17Cyber",
     "Victime d'une infraction en ligne (piratage, chantage, logiciel espion, harcèlement) : "
     "premiers conseils et tchat avec un policier ou un gendarme.",
     "24 h/24", "web", "https://www.17cyber.gouv.fr"),
    ("mariage-force", "", "Mariage forcé à l'étranger",
     "Menace d'un mariage forcé lors d'un séjour à l'étranger : que faire avant le départ, aide "
     "des consulats. Écrire au ministère : mariageforce.fae@diplomatie.gouv.fr.",
     "", "web",
     "https://www.diplomatie.gouv.fr/fr/conseils-aux-voyageurs/informations-pratiques/"
     "assistance-aux-francais/mariages-forces/"),
]  # fmt: skip


def load_national_numbers(NationalNumber) -> None:
    """Create the national numbers, leaving alone those an administrator has already edited."""
    for code, number, name, description, hours, channel, url in NATIONAL_NUMBERS:
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


START = "securite"

# Each node: key, kind, title, and optionally help_text, professional_notes, advice (one per
# line), next_steps, next (key), numbers/violence/help/public/flags (codes), choices. Each
# choice: key, label, next (key), and optionally help_text and codes.
NODES = [
    {
        "key": "securite",
        "kind": "single",
        "title": "Pouvez-vous répondre sans risque en ce moment ?",
        "help_text": (
            "Personne ne regarde votre écran ni votre téléphone ? Rien de ce que vous répondez "
            "n'est enregistré. Le bouton « Quitter le site » vous emmène aussitôt sur un autre "
            "site."
        ),
        "professional_notes": (
            "Recevez la personne seule, sans son ou sa partenaire ni un enfant en âge de "
            "comprendre, dans un lieu où personne n'entend. Si elle est accompagnée, proposez "
            "un autre rendez-vous sous un prétexte neutre."
        ),
        "choices": [
            {"key": "oui", "label": "Oui", "next": "danger"},
            {"key": "non", "label": "Non, pas maintenant", "next": "pas-en-securite"},
        ],
    },
    {
        "key": "pas-en-securite",
        "kind": "result",
        "title": "Revenez quand vous pourrez le faire sans risque",
        "numbers": ["114", "17", "pnav"],
        "advice": (
            "Quittez ce site avec le bouton « Quitter le site » ou la touche Échap.\n"
            "En danger sans pouvoir parler : envoyez un SMS au 114 en décrivant la situation et "
            "l'adresse.\n"
            "Le tchat de la police et de la gendarmerie a un bouton pour quitter et effacer la "
            "conversation.\n"
            "Pensez à effacer l'historique de votre navigateur, ou utilisez la navigation "
            "privée."
        ),
        "next_steps": (
            "Rien de ce que vous avez répondu n'est enregistré. Vous pourrez reprendre ces "
            "questions plus tard, depuis n'importe quel appareil."
        ),
    },
    {
        "key": "danger",
        "kind": "single",
        "title": "Y a-t-il un danger immédiat ?",
        "help_text": (
            "Des violences en ce moment, une menace de passer à l'acte, une blessure grave, ou "
            "la peur pour votre vie ou celle de quelqu'un."
        ),
        "professional_notes": (
            "Signes de danger à prendre au sérieux : violences plus fréquentes ou plus graves, "
            "projet de séparation connu du partenaire, menaces de mort, tentative "
            "d'étranglement, arme, séquestration, violences sur les enfants, grossesse ou "
            "enfant de moins de 2 ans, incitation au suicide, alcool ou drogues, interventions "
            "de police déjà survenues. En cas de danger immédiat, appelez vous-même le 17 ou le "
            "112 si la personne ne peut pas le faire."
        ),
        "choices": [
            {"key": "oui", "label": "Oui", "next": "danger-immediat"},
            {"key": "non", "label": "Non", "next": "mineur"},
        ],
    },
    {
        "key": "danger-immediat",
        "kind": "result",
        "title": "Appelez les secours maintenant",
        "numbers": ["17", "112", "114", "15"],
        "flags": ["urgent"],
        "advice": (
            "Appelez le 17 (police, gendarmerie) ou le 112, depuis n'importe quel téléphone.\n"
            "Si vous ne pouvez pas parler, envoyez un SMS au 114 : il est fait pour cela.\n"
            "En cas de blessure ou de malaise, appelez le 15.\n"
            "Mettez-vous à l'abri : éloignez-vous, allez chez un voisin ou dans un lieu public. "
            "N'affrontez pas l'auteur."
        ),
        "next_steps": (
            "Les forces de l'ordre viennent vous protéger. Ensuite, vous pourrez porter plainte, "
            "même sans preuve ni certificat médical, et vous faire accompagner. Quand vous êtes "
            "en sécurité, continuez : les questions suivantes vous indiquent de l'aide près de "
            "chez vous."
        ),
        "professional_notes": (
            "Face à un péril, chacun doit porter secours ou alerter (article 223-6 du code "
            "pénal) : le secret professionnel n'empêche jamais d'appeler le 17. Restez avec la "
            "personne si vous le pouvez, sans vous mettre en danger."
        ),
        "next": "mineur",
    },
    {
        "key": "mineur",
        "kind": "single",
        "title": "Un enfant ou un adolescent est-il concerné ?",
        "help_text": (
            "Un mineur victime, ou témoin des violences à la maison, ou vous avez vous-même "
            "moins de 18 ans."
        ),
        "professional_notes": (
            "Un enfant exposé aux violences dans le couple en est victime. Pour un mineur, le "
            "secret professionnel ne s'oppose pas au signalement (article 226-14 du code "
            "pénal) : il n'y faut pas l'accord des parents."
        ),
        "choices": [
            {
                "key": "danger",
                "label": "Oui, et un enfant est en danger immédiat",
                "next": "enfant-danger",
            },
            {"key": "oui", "label": "Oui", "next": "enfant"},
            {"key": "non", "label": "Non", "next": "qui"},
        ],
    },
    {
        "key": "enfant-danger",
        "kind": "result",
        "title": "Un enfant est en danger : alertez maintenant",
        "numbers": ["17", "112", "119"],
        "flags": ["urgent"],
        "advice": (
            "Appelez le 17 ou le 112 : la police ou la gendarmerie intervient et met l'enfant "
            "à l'abri.\n"
            "Le 119 répond aussi aux adultes inquiets pour un enfant, 24 h/24."
        ),
        "next_steps": (
            "Le procureur de la République, saisi par un signalement, peut ordonner la mise à "
            "l'abri de l'enfant et une enquête. L'enfant est entendu une seule fois, dans une "
            "salle adaptée de l'hôpital, à la demande de la justice. Quand l'enfant est en "
            "sécurité, continuez pour trouver de l'aide."
        ),
        "professional_notes": (
            "Enfant en danger grave et immédiat : signalement direct au procureur de la "
            "République (tribunal judiciaire), par courriel ou téléphone puis par écrit, avec "
            "copie à la cellule de recueil des informations préoccupantes (CRIP) du "
            "Département. Décrivez des faits, rapportez les paroles entre guillemets, "
            "n'enquêtez pas vous-même."
        ),
        "next": "qui",
    },
    {
        "key": "enfant",
        "kind": "result",
        "title": "Le 119 aide les enfants et ceux qui s'inquiètent pour eux",
        "numbers": ["119", "3018"],
        "help": ["ecoute", "parentalite", "soutien-psychologique", "sante-sexuelle"],
        "public": ["mineurs"],
        "flags": ["minors"],
        "advice": (
            "Le 119 répond 24 h/24, gratuitement ; l'appel n'apparaît pas sur les factures. Les "
            "moins de 21 ans peuvent aussi lui écrire par tchat sur allo119.gouv.fr.\n"
            "Si cela passe par le téléphone ou les réseaux sociaux (photos, chantage, "
            "harcèlement), appelez le 3018.\n"
            "Un enfant qui voit ou entend des violences à la maison en est aussi victime."
        ),
        "next_steps": (
            "Le 119 écoute, conseille, et transmet si besoin une « information préoccupante » au "
            "Département, qui évalue la situation de l'enfant et propose une aide à la famille. "
            "Continuez pour trouver aussi de l'aide pour l'adulte."
        ),
        "professional_notes": (
            "Hors danger immédiat : information préoccupante à la CRIP du Département (le 119 "
            "conseille aussi les professionnels). Informez les parents de votre démarche, sauf "
            "si cela met l'enfant en danger."
        ),
        "next": "qui",
    },
    {
        "key": "qui",
        "kind": "single",
        "title": "Vous êtes :",
        "choices": [
            {"key": "victime", "label": "La personne qui subit des violences", "next": "personne"},
            {
                "key": "proche",
                "label": "Un proche ou un témoin",
                "next": "personne",
                "public": ["entourage"],
                "numbers": ["3919"],
            },
            {
                "key": "professionnel",
                "label": "Un ou une professionnelle qui accompagne quelqu'un",
                "next": "metier",
                "public": ["professionnels"],
                "numbers": ["3919"],
            },
            {
                "key": "auteur",
                "label": "Une personne qui a été violente ou qui a peur de le devenir",
                "next": "auteur",
            },
        ],
    },
    {
        "key": "metier",
        "kind": "single",
        "title": "Dans quel cadre exercez-vous ?",
        "help_text": (
            "Vos obligations et leurs limites en dépendent : elles s'afficheront avec les contacts."
        ),
        "choices": [
            {
                "key": "agent-public",
                "label": "Agent public (État, collectivité, hôpital public)",
                "next": "personne",
            },
            {
                "key": "sante",
                "label": "Santé (médecin, sage-femme, infirmier, pharmacien…)",
                "next": "personne",
            },
            {"key": "education", "label": "Éducation, enseignement, animation", "next": "personne"},
            {"key": "social", "label": "Travail social, association", "next": "personne"},
            {"key": "employeur", "label": "Employeur, ressources humaines", "next": "personne"},
            {"key": "nuit", "label": "Bar, discothèque, lieu festif", "next": "personne"},
            {"key": "autre", "label": "Autre", "next": "personne"},
        ],
    },
    {
        "key": "personne",
        "kind": "single",
        "title": "La personne qui subit les violences est :",
        "help_text": "Pour proposer les numéros et les lieux qui l'accueillent.",
        "choices": [
            {"key": "femme", "label": "Une femme", "next": "violences"},
            {"key": "homme", "label": "Un homme", "next": "violences"},
            {
                "key": "fille",
                "label": "Une fille, une adolescente (moins de 18 ans)",
                "next": "violences",
            },
            {
                "key": "garcon",
                "label": "Un garçon, un adolescent (moins de 18 ans)",
                "next": "violences",
            },
            {"key": "agee", "label": "Une personne âgée", "next": "violences"},
            {"key": "sans-reponse", "label": "Je préfère ne pas répondre", "next": "violences"},
        ],
    },
    {
        "key": "auteur",
        "kind": "result",
        "title": "Se faire aider pour ne plus être violent",
        "numbers": ["auteurs", "17"],
        "help": ["auteurs"],
        "public": ["auteurs"],
        "advice": (
            "Reconnaître qu'on a été violent, ou qu'on a peur de le devenir, c'est déjà agir.\n"
            "Le 08 019 019 11 vous écoute et vous oriente vers un centre de prise en charge des "
            "auteurs de violences près de chez vous.\n"
            "Si vous sentez la colère monter, éloignez-vous : sortez, marchez, appelez "
            "quelqu'un.\n"
            "Si quelqu'un est en danger immédiat, appelez le 17."
        ),
        "next_steps": (
            "Un centre de prise en charge des auteurs propose des entretiens, puis un groupe de "
            "parole ou un suivi individuel, que la démarche soit volontaire ou demandée par la "
            "justice."
        ),
        "professional_notes": (
            "Ne proposez pas de médiation ni de thérapie de couple en cas de violences. "
            "Orientez vers le centre de prise en charge des auteurs (CPCA) ; si la victime est "
            "connue, assurez-vous qu'elle est orientée de son côté."
        ),
    },
    {
        "key": "violences",
        "kind": "multiple",
        "title": "Qu'avez-vous vécu, ou que vit la personne ?",
        "help_text": "Cochez tout ce qui correspond, ou rien si vous ne savez pas.",
        "next": "besoins",
        "choices": [
            {
                "key": "couple",
                "label": "Des violences dans le couple ou la famille",
                "help_text": "Y compris d'un ex-partenaire.",
                "violence": ["conjugales"],
            },
            {
                "key": "sexuelles",
                "label": "Des violences sexuelles (viol, agression sexuelle)",
                "violence": ["sexuelles"],
                "next": "sexuelles-recentes",
            },
            {
                "key": "harcelement",
                "label": "Du harcèlement sexuel ou moral",
                "violence": ["harcelement"],
            },
            {"key": "travail", "label": "Des violences au travail", "violence": ["travail"]},
            {
                "key": "dehors",
                "label": "Dans la rue, les transports ou une soirée",
                "violence": ["espace-public"],
                "numbers": ["3117"],
            },
            {
                "key": "en-ligne",
                "label": "En ligne : messages, photos, surveillance du téléphone",
                "violence": ["cyberviolences"],
            },
            {
                "key": "etudes",
                "label": "Pendant les études",
                "violence": ["milieu-etudiant"],
            },
            {
                "key": "mariage-force",
                "label": "Un mariage forcé, ou sa menace",
                "violence": ["mariage-force"],
            },
            {
                "key": "excision",
                "label": "Une excision, ou sa menace",
                "violence": ["mariage-force"],
            },
            {
                "key": "exploitation",
                "label": "Prostitution, exploitation",
                "violence": ["prostitution"],
            },
            {
                "key": "soiree",
                "label": "Dans un bar ou une soirée, peut-être avec une drogue",
                "next": "sexuelles-recentes",
                "violence": ["espace-public", "sexuelles"],
            },
            {"key": "enfance", "label": "Des violences sur un enfant, ou vécues enfant"},
            {"key": "personne-agee", "label": "La maltraitance d'une personne âgée"},
        ],
    },
    {
        "key": "sexuelles-recentes",
        "kind": "single",
        "title": "Ces violences sexuelles ont-elles eu lieu ces derniers jours ?",
        "help_text": (
            "Dans les cinq derniers jours, des soins et des preuves sont encore possibles."
        ),
        "choices": [
            {"key": "oui", "label": "Oui, ces derniers jours", "next": "agression-recente"},
            {
                "key": "non",
                "label": "Non, c'est plus ancien, ou c'était dans l'enfance",
                "next": "besoins",
                "numbers": ["cfcv"],
            },
        ],
    },
    {
        "key": "agression-recente",
        "kind": "result",
        "title": "Après une agression sexuelle récente : soins et preuves",
        "numbers": ["15", "cfcv"],
        "help": ["soins", "medecine-legale", "sante-sexuelle"],
        "flags": ["urgent"],
        "advice": (
            "Allez aux urgences ou appelez le 15 : un traitement contre les infections et une "
            "contraception d'urgence sont plus efficaces dans les premières heures.\n"
            "Si vous le pouvez, ne vous lavez pas et gardez vos vêtements dans un sac en "
            "papier : ce sont des preuves.\n"
            "Vous pouvez en parler d'abord au 0 800 05 95 95, anonymement."
        ),
        "next_steps": (
            "Aux urgences, vous êtes soignée, même sans porter plainte. Si vous portez plainte, "
            "la police ou la gendarmerie demande un examen à l'unité médico-judiciaire (UMJ) de "
            "l'hôpital, qui constate les blessures et établit un certificat. Plus tard, une "
            "écoute, un soutien psychologique ou un groupe de parole peuvent aider. Continuez "
            "pour trouver de l'aide près de chez vous."
        ),
        "professional_notes": (
            "L'examen médico-légal se fait en principe sur réquisition, après la plainte ; "
            "l'unité médico-judiciaire conseille aussi les professionnels de santé. Les soins "
            "ne dépendent pas de la plainte."
        ),
        "next": "besoins",
    },
    {
        "key": "besoins",
        "kind": "multiple",
        "title": "De quoi avez-vous besoin ?",
        "help_text": "Cochez tout ce qui aiderait maintenant, ou rien si vous ne savez pas.",
        "professional_notes": (
            "Respectez le rythme et les choix d'une personne majeure : si elle ne veut pas agir "
            "maintenant, qu'elle reparte en sachant qui appeler. Les départs et les retours "
            "sont fréquents."
        ),
        "next": "commune",
        "choices": [
            {
                "key": "abri",
                "label": "Être à l'abri ce soir",
                "help": ["hebergement-urgence"],
                "numbers": ["115"],
                "flags": ["urgent"],
            },
            {
                "key": "parler",
                "label": "Parler à quelqu'un",
                "help": ["ecoute", "accueil-de-jour", "groupes-de-parole"],
                "numbers": ["3919"],
            },
            {"key": "soins", "label": "Des soins", "help": ["soins", "sante-sexuelle"]},
            {
                "key": "soutien",
                "label": "Un soutien psychologique",
                "help": ["soutien-psychologique"],
            },
            {
                "key": "droits",
                "label": "Connaître ses droits",
                "help": ["information-juridique", "acces-au-droit", "aide-aux-victimes"],
                "numbers": ["116006"],
            },
            {
                "key": "plainte",
                "label": "Porter plainte, ou s'y préparer",
                "help": ["plainte", "aide-aux-victimes"],
                "numbers": ["pnav"],
            },
            {
                "key": "protection",
                "label": "Être protégée de l'auteur",
                "help_text": "Ordonnance de protection, téléphone grave danger.",
                "help": ["protection", "acces-au-droit"],
            },
            {
                "key": "argent",
                "label": "De l'argent, un logement, un travail",
                "help": ["aide-financiere", "accompagnement-social", "hebergement-insertion"],
            },
            {
                "key": "enfants",
                "label": "De l'aide pour les enfants",
                "help": ["parentalite"],
                "numbers": ["119"],
            },
        ],
    },
    {
        "key": "commune",
        "kind": "commune",
        "title": "Dans quelle commune cherchez-vous de l'aide ?",
        "help_text": "Son nom ou son code postal. Laissez vide si vous préférez ne pas le dire.",
        "next": "conditions",
    },
    {
        "key": "conditions",
        "kind": "multiple",
        "title": "Qu'est-ce qui compte pour vous ?",
        "help_text": "Cochez ce qui est important, ou rien.",
        "next": "contacts",
        "choices": [
            {"key": "gratuit", "label": "Que ce soit gratuit", "flags": ["free"]},
            {"key": "anonyme", "label": "Pouvoir rester anonyme", "flags": ["anonymous"]},
            {"key": "maintenant", "label": "Que ce soit ouvert maintenant", "flags": ["open_now"]},
            {
                "key": "distance",
                "label": "Ne pas me déplacer (téléphone, tchat)",
                "flags": ["remote"],
            },
            {
                "key": "ecrire",
                "label": "Écrire plutôt que parler",
                "help_text": "Surdité, ou besoin de discrétion.",
                "numbers": ["pnav"],
                "flags": ["remote"],
            },
            {"key": "sourd", "label": "Sourd·e ou malentendant·e, ou ne peut pas téléphoner"},
            {"key": "handicap", "label": "En situation de handicap"},
            {"key": "langue", "label": "Parle peu le français"},
            {"key": "lgbt", "label": "Personne LGBT+"},
            {"key": "enceinte", "label": "Enceinte"},
        ],
    },
    {
        "key": "contacts",
        "kind": "result",
        "title": "Les contacts pour vous",
        "numbers": ["3919"],
        "help": [
            "ecoute",
            "accueil-de-jour",
            "aide-aux-victimes",
            "information-juridique",
            "accompagnement-social",
        ],
        "advice": (
            "Personne ne mérite de subir des violences, et la victime n'y est pour rien : la loi "
            "les interdit et les punit.\n"
            "Ces contacts écoutent sans juger et n'obligent à rien : chacun avance à son rythme.\n"
            "Pour un proche : écoutez-le, croyez-le, ne décidez pas à sa place ; le 3919 "
            "conseille aussi l'entourage."
        ),
        "next_steps": (
            "Un premier échange sert à comprendre la situation. Une association peut ensuite "
            "accompagner pas à pas : mise à l'abri, soins, démarches, plainte si la personne le "
            "souhaite. Tout commissariat ou brigade de gendarmerie doit enregistrer une plainte, "
            "même sans preuve ; on peut y venir accompagnée. Sans plainte, le juge aux affaires "
            "familiales peut délivrer une ordonnance de protection en quelques jours. Après un "
            "départ du domicile, la CAF peut verser une aide universelle d'urgence en quelques "
            "jours."
        ),
        "professional_notes": (
            "Passez le relais : présentez le contact à la personne, proposez d'appeler avec "
            "elle, vérifiez qu'elle sait comment le joindre sans risque. Ne gardez aucune "
            "information sur elle dans un outil partagé."
        ),
    },
]


# What each answer says of the situation (situation.py): the final result is composed from
# these facts (composition.py). Copied into each territory's tree with the answers.
FACTS = {
    ("securite", "non"): {"can_speak": False},
    ("danger", "oui"): {"danger_now": True},
    ("mineur", "danger"): {"danger_now": True, "needs": ["children"]},
    ("mineur", "oui"): {"needs": ["children"]},
    ("qui", "victime"): {"asker": "victim"},
    ("qui", "proche"): {"asker": "relative"},
    ("qui", "professionnel"): {"asker": "professional"},
    ("qui", "auteur"): {"asker": "author"},
    ("metier", "agent-public"): {"professional_kind": "public_servant"},
    ("metier", "sante"): {"professional_kind": "health"},
    ("metier", "education"): {"professional_kind": "education"},
    ("metier", "social"): {"professional_kind": "social"},
    ("metier", "employeur"): {"professional_kind": "employer"},
    ("metier", "nuit"): {"professional_kind": "night_venue"},
    ("metier", "autre"): {"professional_kind": "other"},
    # Ages stand for a band: the rules read "minor", "16 and over", "65 and over".
    ("personne", "femme"): {"victim_sex": "female", "victim_age": 30},
    ("personne", "homme"): {"victim_sex": "male", "victim_age": 30},
    ("personne", "fille"): {"victim_sex": "female", "victim_age": 14},
    ("personne", "garcon"): {"victim_sex": "male", "victim_age": 14},
    ("personne", "agee"): {"victim_age": 75},
    ("violences", "couple"): {"forms": ["conjugal"]},
    ("violences", "sexuelles"): {"forms": ["sexual"]},
    ("violences", "harcelement"): {"forms": ["sexual_harassment"]},
    ("violences", "travail"): {"forms": ["workplace"], "setting": "work"},
    ("violences", "dehors"): {"forms": ["public_space"], "setting": "public_space"},
    ("violences", "en-ligne"): {"forms": ["online"]},
    ("violences", "etudes"): {"setting": "university"},
    ("violences", "mariage-force"): {"forms": ["forced_marriage"]},
    ("violences", "excision"): {"forms": ["fgm"]},
    ("violences", "exploitation"): {"forms": ["prostitution"]},
    ("violences", "soiree"): {"forms": ["night_drugging"], "setting": "night_venue"},
    ("violences", "enfance"): {"forms": ["childhood"]},
    ("violences", "personne-agee"): {"forms": ["elder_abuse"]},
    ("sexuelles-recentes", "oui"): {"days_since": 1},
    ("sexuelles-recentes", "non"): {"days_since": 400},
    ("besoins", "abri"): {"needs": ["shelter"]},
    ("besoins", "parler"): {"needs": ["talk"]},
    ("besoins", "soins"): {"needs": ["medical"]},
    ("besoins", "soutien"): {"needs": ["psychological"]},
    ("besoins", "droits"): {"needs": ["legal"]},
    ("besoins", "plainte"): {"needs": ["complaint"]},
    ("besoins", "protection"): {"needs": ["protection"]},
    ("besoins", "argent"): {"needs": ["money"]},
    ("besoins", "enfants"): {"needs": ["children"]},
    ("conditions", "anonyme"): {"constraints": ["anonymous"]},
    ("conditions", "sourd"): {"constraints": ["deaf"]},
    ("conditions", "handicap"): {"constraints": ["disability"]},
    ("conditions", "langue"): {"constraints": ["language:und"]},
    ("conditions", "lgbt"): {"constraints": ["lgbt"]},
    ("conditions", "enceinte"): {"constraints": ["pregnant"]},
}

for _node in NODES:
    for _choice in _node.get("choices", []):
        _choice.setdefault("facts", FACTS.get((_node["key"], _choice["key"]), {}))
