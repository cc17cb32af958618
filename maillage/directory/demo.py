"""The Angers directory for the demo: national numbers (domain.md §3) and the local actors of
domain.md §7 with plausible services. Public information only; local phone numbers are
fictional (02 41 00 00 xx) and every page says demo data must be checked.
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

# organisation, name, summary, help, violence, publics, options, phones, hours, place
SERVICES = [
    ("Fédération nationale Solidarité Femmes", "3919 — Violences Femmes Info",
     "Écoute, information et orientation des femmes victimes de violences, de leur entourage et des professionnels. Ce n'est pas un numéro d'urgence.",
     ["ecoute"], ["toutes", "conjugales"], ["victimes", "entourage", "professionnels", "femmes"],
     {"coverage": S.NATIONAL, "is_24_7": True, "is_anonymous": True, "remote": True}, [("3919", "Appel gratuit et anonyme", "public")], None, None),
    ("Service national d'accueil téléphonique de l'enfance en danger", "119 — Allô Enfance en danger",
     "Pour un enfant ou un adulte inquiet pour un enfant. L'appel ne figure pas sur les factures.",
     ["ecoute"], ["toutes"], ["mineurs", "entourage", "professionnels"],
     {"coverage": S.NATIONAL, "is_24_7": True, "is_anonymous": True, "remote": True, "minors_accepted": True, "urgent_response": True}, [("119", "", "public")], None, None),
    ("Fédération France Victimes", "116 006 — Aide aux victimes",
     "Écoute et orientation de toute victime d'infraction, de ses proches et des témoins, vers l'association locale.",
     ["ecoute", "aide-aux-victimes"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.NATIONAL, "remote": True}, [("116 006", "", "public")], (EVERY_DAY, time(9), time(19)), None),
    ("Association e-Enfance", "3018 — Cyberharcèlement et violences numériques",
     "Pour les jeunes, les parents et les professionnels : harcèlement en ligne, diffusion d'images intimes, chantage.",
     ["ecoute"], ["cyberviolences"], ["mineurs", "jeunes", "entourage", "professionnels"],
     {"coverage": S.NATIONAL, "remote": True, "minors_accepted": True, "is_anonymous": True}, [("3018", "", "public")], (EVERY_DAY, time(9), time(23)), None),
    ("Collectif féministe contre le viol", "Viols Femmes Informations",
     "Écoute des victimes de viol et d'agressions sexuelles, même anciennes ou dans l'enfance.",
     ["ecoute"], ["sexuelles"], ["victimes", "entourage"],
     {"coverage": S.NATIONAL, "remote": True, "is_anonymous": True}, [("0 800 05 95 95", "Appel gratuit", "public")], (WEEKDAYS, time(10), time(19)), None),
    ("Fédération nationale des associations et des centres de prise en charge d'auteurs de violences conjugales et familiales", "Écoute des auteurs de violences",
     "Pour les personnes qui ont peur de devenir violentes ou qui l'ont été : écoute et orientation vers un centre de prise en charge.",
     ["auteurs", "ecoute"], ["conjugales"], ["auteurs"],
     {"coverage": S.NATIONAL, "remote": True}, [("08 019 019 11", "", "public")], (EVERY_DAY, time(9), time(19)), None),
    ("Police nationale", "17 — Police secours",
     "Danger immédiat, violences en cours : les forces de l'ordre interviennent.",
     ["plainte", "protection"], ["toutes"], ["victimes", "entourage"],
     {"coverage": S.NATIONAL, "is_24_7": True, "urgent_response": True}, [("17", "", "public")], None, None),
    ("SIAO de Maine-et-Loire", "115 — Hébergement d'urgence",
     "Une place pour cette nuit. En Maine-et-Loire, le 115 centralise la mise à l'abri des femmes victimes de violences conjugales avec Solidarité Femmes 49.",
     ["hebergement-urgence"], ["conjugales", "toutes"], ["victimes", "femmes", "sans-domicile"],
     {"coverage": S.DEPARTMENT, "coverage_department": "49", "is_24_7": True, "urgent_response": True, "saturation": "moderate"}, [("115", "", "public")], None, None),
    ("Solidarité Femmes 49", "Accueil de jour et écoute",
     "Entretiens individuels et collectifs, écoute, accompagnement vers la mise à l'abri. Réponse sous 72 heures.",
     ["accueil-de-jour", "ecoute", "accompagnement-social", "groupes-de-parole"], ["conjugales"], ["victimes", "femmes"],
     {"walk_in": True, "by_appointment": True, "languages": ["fr", "en"]}, [("02 41 00 00 01", "Accueil", "public"), ("02 41 00 00 02", "Ligne des professionnels", "professionals")], ([1, 3, 4], time(14), time(17, 30)), ("Accueil de jour", "", False)),
    ("Solidarité Femmes 49", "Hébergement des femmes et des enfants",
     "Centre d'hébergement et de réinsertion sociale : mise en sécurité, accompagnement vers un logement.",
     ["hebergement-insertion", "hebergement-urgence"], ["conjugales"], ["victimes", "femmes"],
     {"referral_only": True, "saturation": "high"}, [("02 41 00 00 03", "Admissions (par le 115 ou les professionnels)", "professionals")], None, ("", "Adresse confidentielle", True)),
    ("France Victimes 49", "Aide aux victimes d'infractions",
     "Juristes et psychologues : information sur la procédure, accompagnement, soutien. Permanences au commissariat central et à l'hôpital.",
     ["aide-aux-victimes", "soutien-psychologique", "information-juridique"], ["toutes"], ["victimes", "entourage"],
     {"by_appointment": True}, [("02 41 00 00 04", "", "public")], (WEEKDAYS, time(9), time(17)), ("", "Place du Président Kennedy", False)),
    ("Centre d'information sur les droits des femmes et des familles de Maine-et-Loire", "Information juridique gratuite",
     "Droit de la famille, violences, séparation, emploi : une information gratuite et confidentielle.",
     ["information-juridique", "acces-au-droit"], ["conjugales", "harcelement", "travail"], ["victimes", "femmes"],
     {"by_appointment": True, "is_anonymous": True}, [("02 41 00 00 05", "", "public")], (WEEKDAYS, time(9), time(12, 30)), ("", "Boulevard du Roi René", False)),
    ("Centre hospitalier universitaire d'Angers", "Unité médico-judiciaire",
     "Examens médico-légaux sur réquisition après une plainte ; conseils aux professionnels de santé.",
     ["medecine-legale", "soins"], ["sexuelles", "conjugales"], ["victimes", "professionnels"],
     {"referral_only": True, "is_24_7": True, "urgent_response": True}, [("02 41 00 00 06", "Avis aux professionnels", "professionals")], None, ("CHU d'Angers", "Rue Larrey", False)),
    ("Maison Olympe", "Centre de santé des femmes",
     "Consultations gynécologiques, sages-femmes, psychologue, ateliers d'estime de soi.",
     ["soins", "sante-sexuelle", "soutien-psychologique"], ["sexuelles", "conjugales"], ["femmes", "victimes"],
     {"by_appointment": True, "walk_in": True, "wheelchair_accessible": True}, [("02 41 00 00 07", "", "public")], (WEEKDAYS, time(8, 30), time(18)), ("", "Quartier Monplaisir", False)),
    ("Planning familial 49", "Santé sexuelle et contraception",
     "Contraception, IVG, infections sexuellement transmissibles, violences : gratuit et anonyme pour les mineurs.",
     ["sante-sexuelle", "ecoute"], ["sexuelles"], ["femmes", "mineurs", "jeunes"],
     {"is_anonymous": True, "minors_accepted": True, "walk_in": True}, [("02 41 00 00 08", "", "public")], ([0, 2, 4], time(13), time(18)), ("", "", False)),
    ("Médiations 49", "Centre de prise en charge des auteurs de violences conjugales",
     "Entretiens préalables puis groupe de parole ou suivi individuel, sur démarche volontaire ou décision de justice.",
     ["auteurs", "groupes-de-parole"], ["conjugales"], ["auteurs"],
     {"by_appointment": True, "is_free": False}, [("02 41 00 00 09", "", "public")], (WEEKDAYS, time(9), time(17)), ("", "", False)),
    ("Association d'aide aux victimes d'abus sexuels", "Groupes de parole",
     "Pour les adultes victimes d'abus sexuels, d'inceste ou de violences dans l'enfance.",
     ["groupes-de-parole", "ecoute"], ["sexuelles"], ["victimes"],
     {"by_appointment": True}, [], None, ("", "", False)),
    ("Université d'Angers", "Cellule violences, discriminations, harcèlement",
     "Signalement par courriel, écoute par un binôme, analyse et orientation, pour les étudiants et les personnels.",
     ["ecoute", "accompagnement-social"], ["milieu-etudiant", "harcelement", "sexuelles"], ["jeunes", "victimes"],
     {"email": "cellule-vdh@example.org", "remote": True}, [], None, None),
    ("Conseil départemental de l'accès au droit de Maine-et-Loire", "Point-justice",
     "Consultations juridiques gratuites avec des avocats et des juristes.",
     ["acces-au-droit", "information-juridique"], ["toutes"], ["victimes", "entourage"],
     {"by_appointment": True}, [("3039", "Numéro national des points-justice", "public")], ([1, 3], time(9), time(12)), ("Palais de justice", "", False)),
    ("Direction départementale de la sécurité publique de Maine-et-Loire", "Commissariat central : dépôt de plainte",
     "Toute plainte doit être enregistrée, même sans preuve. Vous pouvez venir accompagnée.",
     ["plainte", "protection"], ["toutes"], ["victimes"],
     {"is_24_7": True, "walk_in": True}, [("17", "Urgence", "public")], None, ("Commissariat central", "", False)),
    ("Caisse d'allocations familiales de Maine-et-Loire", "Aide universelle d'urgence",
     "Une aide versée en quelques jours aux victimes de violences conjugales qui quittent le domicile.",
     ["aide-financiere"], ["conjugales"], ["victimes"],
     {"remote": True, "website": "https://www.caf.fr"}, [], None, None),
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
            defaults={"kind": K.ASSOCIATION, "commune": angers},
        )
        options = dict(options)
        languages = options.pop("languages", ["fr"])
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
        if hours:
            days, opens, closes = hours
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
            place_name, address, hidden = place
            # Spread around the centre of Angers (demo coordinates, not real addresses).
            Place.objects.create(
                service=service,
                name=place_name,
                address=address,
                postal_code="49000",
                commune=angers,
                latitude=None if hidden else ANGERS[0] + 0.004 * (index % 5 - 2),
                longitude=None if hidden else ANGERS[1] + 0.006 * (index % 3 - 1),
                hide_address=hidden,
            )
        if service.coverage == S.COMMUNES:
            service.coverage = S.EPCI
            service.save(update_fields=["coverage"])
            service.coverage_communes.set(territory.communes.all())
    from .search import reindex

    reindex(Service.objects.filter(source="demo").prefetch_related("places__commune"))
    return []
