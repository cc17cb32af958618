"""Demo of awareness events and reuse declarations for Angers (called by demo.py).

- The "Mois pour agir contre les violences sexistes et sexuelles" of November 2026: 21
  published events (stands, screenings, school sessions, conferences, a theatre-forum, the
  walk of 25 November…) and one cancelled, by 22 of the 25 signatories; the attendance is
  entered for those that have started.
- A few events of November 2025, with their attendance.
- Reuse declarations of the guide and the posters, three of them by new local actors that
  signed no contract (a sports club, a student association, a social centre).

Built through the services of events.py and reuse.py. Idempotent: an event is found again by
its organiser, title and start; a declaration by its material, organisation and date.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from maillage.core.models import Commune, Organisation, Territory

from .events import cancel_event, create_event, publish_event, record_attendance
from .models import Audience, AwarenessEvent, Campaign, Material, MaterialReuse
from .reuse import declare_reuse

PARIS = ZoneInfo("Europe/Paris")
K = AwarenessEvent.Kind
A = Audience
C = MaterialReuse.Channel
ANGERS, AVRILLE, TRELAZE, BEAUCOUZE = "49007", "49015", "49353", "49020"

PREFECTURE = "Préfecture de Maine-et-Loire"
ALM = "Angers Loire Métropole"
VILLE = "Ville d'Angers"
DEPARTEMENT = "Département de Maine-et-Loire"
DDSP = "Direction départementale de la sécurité publique de Maine-et-Loire"
GENDARMERIE = "Groupement de gendarmerie départementale de Maine-et-Loire"
DSDEN = "Services départementaux de l'Éducation nationale de Maine-et-Loire"
UNIVERSITE = "Université d'Angers"
CAF = "Caisse d'allocations familiales de Maine-et-Loire"
CHU = "Centre hospitalier universitaire d'Angers"
CLINIQUE = "Clinique de l'Anjou"
OLYMPE = "Maison Olympe"
CDAD = "Conseil départemental de l'accès au droit de Maine-et-Loire"
AFCCC = "Association française des centres de consultation conjugale 49"
SF49 = "Solidarité Femmes 49"
FV49 = "France Victimes 49"
CIDFF = "Centre d'information sur les droits des femmes et des familles de Maine-et-Loire"
PLANNING = "Planning familial 49"
MEDIATIONS = "Médiations 49"
AAVAS = "Association d'aide aux victimes d'abus sexuels"
ALH = "Angers Loire Habitat"
IRIGO = "Réseau de transport Irigo"

GUIDE = "Agir contre les violences sexistes et sexuelles"
WITNESS_POSTER = "Affiche « témoin »"
VICTIM_LEAFLET = "Dépliant « victime »"
AUTHOR_LEAFLET = "Dépliant « auteur »"

CAMPAIGN_2026 = "Mois pour agir 2026"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


# (title, kind, audience, open to all, organiser, partners, place, address, commune,
#  start, end, attendance, materials, description)
NOVEMBER_2026 = [
    (
        "Lancement du Mois pour agir : conférence « Comprendre le continuum des violences »",
        K.CONFERENCE, A.GENERAL_PUBLIC, True, VILLE, [ALM, PREFECTURE],
        "Hôtel de ville d'Angers, salle du conseil",
        "Boulevard de la Résistance et de la Déportation", ANGERS,
        at(2026, 11, 2, 18), at(2026, 11, 2, 20), 140, [GUIDE],
        "Ouverture du mois par les co-pilotes du contrat, suivie d'une conférence sur le continuum "
        "des violences sexistes et sexuelles, du harcèlement de rue aux violences conjugales.",
    ),
    (
        "Stand « Violences sexistes : où trouver de l'aide ? »",
        K.STAND, A.GENERAL_PUBLIC, True, SF49, [CIDFF],
        "Place du Ralliement", "", ANGERS,
        at(2026, 11, 4, 10), at(2026, 11, 4, 13), 85, [GUIDE, VICTIM_LEAFLET],
        "Les associations présentent les lieux d'écoute et d'accompagnement du territoire.",
    ),
    (
        "Intervention « Consentement et relations » au lycée Joachim-du-Bellay",
        K.SCHOOL, A.AT_RISK, False, PLANNING, [DSDEN],
        "Lycée Joachim-du-Bellay", "1 avenue Marie-Talet", ANGERS,
        at(2026, 11, 5, 14), at(2026, 11, 5, 16), 62, [],
        "Deux classes de seconde : consentement, relations affectives, où trouver de l'aide.",
    ),
    (
        "Projection-débat « Jusqu'à la garde »",
        K.SCREENING, A.GENERAL_PUBLIC, True, CIDFF, [FV49],
        "Cinéma Les 400 Coups", "12 rue Claveau", ANGERS,
        at(2026, 11, 6, 20), at(2026, 11, 6, 22, 30), 118, [VICTIM_LEAFLET],
        "Projection du film de Xavier Legrand, suivie d'un échange avec une juriste et une "
        "intervenante d'aide aux victimes.",
    ),
    (
        "Atelier « Repérer et orienter » pour les agents d'accueil",
        K.WORKSHOP, A.PROFESSIONALS, False, CAF, [DEPARTEMENT],
        "Caisse d'allocations familiales, salle de réunion", "32 rue Louis-Gain", ANGERS,
        at(2026, 11, 9, 9, 30), at(2026, 11, 9, 12, 30), 24, [GUIDE],
        "Repérer les signes de violences au guichet et orienter vers les bons interlocuteurs.",
    ),
    (
        "Stand de prévention au restaurant universitaire de Belle-Beille",
        K.STAND, A.AT_RISK, True, UNIVERSITE, [PLANNING],
        "Campus de Belle-Beille, restaurant universitaire", "Boulevard Lavoisier", ANGERS,
        at(2026, 11, 10, 11, 30), at(2026, 11, 10, 14), 210, [WITNESS_POSTER, GUIDE],
        "Violences sexistes et sexuelles dans la vie étudiante : réagir en témoin, la cellule "
        "d'écoute de l'université.",
    ),
    (
        "Exposition « Les mots pour le dire »",
        K.EXHIBITION, A.GENERAL_PUBLIC, True, OLYMPE, [VILLE],
        "Bibliothèque Toussaint", "49 rue Toussaint", ANGERS,
        at(2026, 11, 12, 10), at(2026, 11, 28, 18), 430, [],
        "Une exposition de témoignages anonymes et d'illustrations, en accès libre aux heures "
        "d'ouverture de la bibliothèque.",
    ),
    (
        "Séance « Harcèlement et cybersexisme » au collège Jean-Vilar",
        K.SCHOOL, A.AT_RISK, False, DDSP, [DSDEN],
        "Collège Jean-Vilar", "", ANGERS,
        at(2026, 11, 13, 9), at(2026, 11, 13, 12), 55, [],
        "Les policiers de la maison de protection des familles interviennent auprès des élèves "
        "de quatrième.",
    ),
    (
        "Permanence « Vos droits face aux violences »",
        K.WORKSHOP, A.GENERAL_PUBLIC, True, CDAD, [CIDFF],
        "Point-justice d'Angers", "", ANGERS,
        at(2026, 11, 14, 10), at(2026, 11, 14, 12, 30), 18, [VICTIM_LEAFLET],
        "Des juristes répondent aux questions sur le dépôt de plainte, l'ordonnance de "
        "protection et l'aide juridictionnelle.",
    ),
    (
        "Conférence « Violences conjugales : les enfants exposés »",
        K.CONFERENCE, A.PROFESSIONALS, True, CHU, [AAVAS, DEPARTEMENT, CLINIQUE],
        "CHU d'Angers, amphithéâtre de l'institut de formation", "4 rue Larrey", ANGERS,
        at(2026, 11, 16, 18, 30), at(2026, 11, 16, 20, 30), 96, [GUIDE],
        "Pédiatres, psychologues et travailleurs sociaux sur le repérage et la prise en charge "
        "des enfants exposés aux violences conjugales.",
    ),
    (
        "Stand « Harcèlement dans les transports : réagir en témoin »",
        K.STAND, A.WITNESSES, True, IRIGO, [DDSP],
        "Pôle d'échanges de la gare Saint-Laud", "Place de la Gare", ANGERS,
        at(2026, 11, 17, 16), at(2026, 11, 17, 19), 150, [WITNESS_POSTER],
        "Comment réagir quand on est témoin de harcèlement dans le bus ou le tramway.",
    ),
    (
        "Café-débat « Couple : quand le conflit devient violence »",
        K.WORKSHOP, A.GENERAL_PUBLIC, True, AFCCC, [MEDIATIONS],
        "Maison de quartier Le Trois-Mâts", "Place des Justices", ANGERS,
        at(2026, 11, 18, 18), at(2026, 11, 18, 20), 32, [AUTHOR_LEAFLET],
        "Conseillers conjugaux et médiateurs sur la différence entre conflit et emprise.",
    ),
    (
        "Journée d'information des locataires",
        K.STAND, A.GENERAL_PUBLIC, True, ALH, [SF49],
        "Agence de proximité de Monplaisir", "", ANGERS,
        at(2026, 11, 19, 9), at(2026, 11, 19, 17), 70, [GUIDE, VICTIM_LEAFLET],
        "Les solutions de relogement et d'accompagnement en cas de violences au sein du foyer.",
    ),
    (
        "Théâtre-forum « Et si c'était toi ? »",
        K.THEATRE, A.GENERAL_PUBLIC, True, FV49, [MEDIATIONS],
        "Théâtre Chanzy", "30 avenue de Chanzy", ANGERS,
        at(2026, 11, 20, 20), at(2026, 11, 20, 22), 180, [WITNESS_POSTER],
        "Des scènes du quotidien rejouées avec le public, qui cherche comment intervenir.",
    ),
    (
        "Stand de sensibilisation sur le parvis de la mairie d'Avrillé",
        K.STAND, A.GENERAL_PUBLIC, True, GENDARMERIE, [FV49],
        "Parvis de la mairie", "1 place de l'Hôtel-de-Ville", AVRILLE,
        at(2026, 11, 21, 10), at(2026, 11, 21, 13), 90, [GUIDE],
        "Les gendarmes de la maison de protection des familles et France Victimes 49 présentent "
        "le dépôt de plainte et l'accompagnement des victimes.",
    ),
    (
        "Intervention « Relations amoureuses et respect » au lycée David-d'Angers",
        K.SCHOOL, A.AT_RISK, False, DSDEN, [OLYMPE],
        "Lycée David-d'Angers", "1 rue Paul-Langevin", ANGERS,
        at(2026, 11, 23, 14), at(2026, 11, 23, 16, 30), 48, [],
        "Séance co-animée par l'infirmière scolaire et la Maison Olympe.",
    ),
    (
        "Projection du film « Les Chatouilles » suivie d'un échange",
        K.SCREENING, A.GENERAL_PUBLIC, True, AAVAS, [CHU],
        "Institut municipal, salle Claude-Chabrol", "9 place Saint-Éloi", ANGERS,
        at(2026, 11, 24, 18), at(2026, 11, 24, 21), 75, [],
        "Les violences sexuelles subies dans l'enfance, leurs conséquences et les soins.",
    ),
    (
        "Marche contre les violences faites aux femmes",
        K.WALK, A.GENERAL_PUBLIC, True, SF49, [VILLE, ALM, PREFECTURE, CIDFF, PLANNING, OLYMPE],
        "Départ place du Ralliement, arrivée au jardin du Mail", "", ANGERS,
        at(2026, 11, 25, 18), at(2026, 11, 25, 19, 30), 650, [],
        "À l'occasion de la Journée internationale pour l'élimination de la violence à l'égard "
        "des femmes.",
    ),
    (
        "Matinale des professionnels : le parcours d'orientation des victimes",
        K.WORKSHOP, A.PROFESSIONALS, False, ALM, [GENDARMERIE, DDSP, FV49],
        "Hôtel de communauté Angers Loire Métropole", "83 rue du Mail", ANGERS,
        at(2026, 11, 26, 9), at(2026, 11, 26, 12), 60, [GUIDE],
        "Les partenaires du contrat présentent le parcours d'orientation du territoire.",
    ),
    (
        "Stand « Violences dans le couple : en parler » à la mairie de Trélazé",
        K.STAND, A.GENERAL_PUBLIC, True, CIDFF, [CAF],
        "Mairie de Trélazé, hall d'accueil", "", TRELAZE,
        at(2026, 11, 27, 14), at(2026, 11, 27, 17), 40, [VICTIM_LEAFLET, GUIDE],
        "Information sur les droits et les aides, orientation vers les permanences.",
    ),
    (
        "Clôture du Mois pour agir : bilan et perspectives",
        K.CONFERENCE, A.GENERAL_PUBLIC, True, ALM, [VILLE, PREFECTURE],
        "Hôtel de communauté Angers Loire Métropole", "83 rue du Mail", ANGERS,
        at(2026, 11, 30, 18, 30), at(2026, 11, 30, 20), None, [],
        "Retour sur le mois et annonce des actions de 2027.",
    ),
]  # fmt: skip
CANCELLED_2026 = (
    "Stand au marché de Beaucouzé",
    K.STAND, A.GENERAL_PUBLIC, True, MEDIATIONS, [],
    "Place du marché", "", BEAUCOUZE,
    at(2026, 11, 7, 9), at(2026, 11, 7, 12), None, [],
    "Annulé en raison de l'alerte météo.",
)  # fmt: skip
NOVEMBER_2025 = [
    (
        "Stand de prévention sur le campus Saint-Serge",
        K.STAND, A.AT_RISK, True, UNIVERSITE, [PLANNING],
        "Campus Saint-Serge", "", ANGERS,
        at(2025, 11, 6, 11, 30), at(2025, 11, 6, 14), 160, [GUIDE],
        "",
    ),
    (
        "Projection-débat « L'Événement »",
        K.SCREENING, A.GENERAL_PUBLIC, True, CIDFF, [FV49],
        "Cinéma Les 400 Coups", "12 rue Claveau", ANGERS,
        at(2025, 11, 13, 20), at(2025, 11, 13, 22, 30), 95, [],
        "",
    ),
    (
        "Intervention « Consentement » au lycée Chevrollier",
        K.SCHOOL, A.AT_RISK, False, PLANNING, [DSDEN],
        "Lycée Chevrollier", "", ANGERS,
        at(2025, 11, 20, 14), at(2025, 11, 20, 16), 58, [],
        "",
    ),
    (
        "Marche contre les violences faites aux femmes",
        K.WALK, A.GENERAL_PUBLIC, True, SF49, [VILLE],
        "Place du Ralliement", "", ANGERS,
        at(2025, 11, 25, 18), at(2025, 11, 25, 19, 30), 480, [],
        "",
    ),
]  # fmt: skip

# New local actors: they signed no contract, and reuse the materials of the contract.
NEW_ACTORS = [
    ("Club omnisports de la Roseraie", Organisation.Kind.ASSOCIATION,
     "Club sportif du quartier de la Roseraie : football, basket, gymnastique."),
    ("Association des étudiants en santé d'Angers", Organisation.Kind.ASSOCIATION,
     "Association étudiante des facultés de santé."),
    ("Centre social du Plateau des Capucins", Organisation.Kind.ASSOCIATION,
     "Centre social : accueil des habitants, activités familles et jeunesse."),
]  # fmt: skip
# material, organisation, channel, date, copies printed, description
REUSES = [
    (WITNESS_POSTER, "Club omnisports de la Roseraie", C.PRINT, date(2026, 10, 5), 20,
     "Affiches imprimées et posées dans les vestiaires des gymnases du club."),
    (GUIDE, "Association des étudiants en santé d'Angers", C.SOCIAL, date(2026, 11, 10), None,
     "Le guide partagé sur nos réseaux pendant le Mois pour agir."),
    (VICTIM_LEAFLET, "Centre social du Plateau des Capucins", C.PRINT, date(2026, 9, 14), 150,
     "Dépliants imprimés pour l'accueil et les ateliers familles."),
    (WITNESS_POSTER, ALH, C.DISPLAY, date(2026, 3, 8), None,
     "Affichage dans les halls des agences de proximité."),
    (WITNESS_POSTER, IRIGO, C.DISPLAY, date(2026, 11, 20), None,
     "Affichage dans les bus et les tramways pendant le Mois pour agir."),
]  # fmt: skip


def _event(territory, organisations, materials, row, *, campaign, cancelled=False) -> None:
    (title, kind, audience, is_open, organiser_name, partner_names, place, address, commune,
     starts_at, ends_at, attendance, material_titles, description) = row  # fmt: skip
    organiser = organisations[organiser_name]
    event = AwarenessEvent.objects.filter(
        organiser=organiser, title=title, starts_at=starts_at
    ).first()
    if event is None:
        event = create_event(
            organiser=organiser,
            by=None,
            title=title,
            kind=kind,
            audience=audience,
            is_open_to_public=is_open,
            place_name=place,
            address=address,
            commune=Commune.objects.filter(pk=commune).first(),
            starts_at=starts_at,
            ends_at=ends_at,
            description=description,
            campaign=campaign,
            partners=[organisations[name] for name in partner_names],
            materials=[materials[name] for name in material_titles],
        )
        publish_event(event=event, by=None)
        if cancelled:
            cancel_event(event=event, by=None)
    if (
        attendance is not None
        and event.status == AwarenessEvent.Status.PUBLISHED
        and event.attendance is None
        and event.starts_at <= timezone.now()
    ):
        record_attendance(event=event, attendance=attendance, by=None)


def load_demo_events() -> None:
    territory = Territory.objects.get(slug="angers-loire-metropole")
    for name, kind, description in NEW_ACTORS:
        Organisation.objects.update_or_create(
            territory=territory,
            name=name,
            defaults={
                "kind": kind,
                "commune": Commune.objects.filter(pk=ANGERS).first(),
                "description": description,
            },
        )
    organisations = {o.name: o for o in Organisation.objects.in_territory(territory)}
    materials = {
        m.title: m for m in Material.objects.filter(campaign__territory=territory).distinct()
    }
    campaign, _created = Campaign.objects.update_or_create(
        territory=territory,
        title=CAMPAIGN_2026,
        defaults={
            "description": (
                "Le Mois pour agir contre les violences sexistes et sexuelles : en novembre, "
                "les partenaires du contrat multiplient stands, projections, interventions et "
                "conférences partout dans l'agglomération."
            ),
            "starts_on": date(2026, 11, 1),
            "ends_on": date(2026, 11, 30),
            "audiences": [Audience.GENERAL_PUBLIC, Audience.AT_RISK, Audience.PROFESSIONALS],
        },
    )
    campaign.partners.set(
        {organisations[row[4]] for row in NOVEMBER_2026}
        | {organisations[name] for row in NOVEMBER_2026 for name in row[5]}
    )
    for row in NOVEMBER_2026:
        _event(territory, organisations, materials, row, campaign=campaign)
    _event(territory, organisations, materials, CANCELLED_2026, campaign=campaign, cancelled=True)
    for row in NOVEMBER_2025:
        _event(territory, organisations, materials, row, campaign=None)

    for title, organisation_name, channel, reused_on, copies, description in REUSES:
        material, organisation = materials[title], organisations[organisation_name]
        if not MaterialReuse.objects.filter(
            material=material, organisation=organisation, reused_on=reused_on
        ).exists():
            declare_reuse(
                material=material,
                organisation=organisation,
                channel=channel,
                reused_on=reused_on,
                copies=copies,
                description=description,
                by=None,
            )
