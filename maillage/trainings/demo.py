"""Training demo for Angers: a few modules of the common offer and some sessions around
today, with registrations made through the same functions the application uses.

Idempotent: a module is found again by its slug, a demo session by its module and place, a
registration by its session and email; running it again adds nothing. The full history of the
first contract (16 "primo-accueil" sessions from 2021 to 2024, the bars of the nightlife
charter) is written by demo_history.py, called at the end.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from maillage.core.models import Commune, Organisation, Role, Territory, User

from .demo_history import load_history
from .models import Module, TrainingSession, TrainingSlot
from .registration import Person, register_people
from .services import confirm_session, open_registrations

ANGERS = "49007"
MORNING = (time(9), time(12, 30))
AFTERNOON = (time(13, 30), time(17))

MODULES = [
    {
        "slug": "primo-accueil",
        "title": "Primo-accueil des victimes de violences sexistes et sexuelles",
        "summary": "Repérer, accueillir et orienter une personne victime dès le premier contact.",
        "objectives": (
            "Connaître les formes de violences sexistes et sexuelles, le cycle de la violence "
            "et l'emprise.\nAdopter une posture d'écoute et les phrases qui aident.\n"
            "Connaître les limites de son rôle, les signes de danger et le cadre légal.\n"
            "Orienter vers les ressources locales et nationales."
        ),
        "programme": (
            "Formes de violences (verbales, physiques, psychologiques, sexuelles, économiques, "
            "administratives, cyberviolences) ; psychotraumatisme ; consentement ; posture et "
            "phrases clés ; secret professionnel ; ressources du territoire et orientation ; "
            "études de cas et mises en situation."
        ),
        "duration_hours": Decimal("7"),
        "audience": (
            "Professionnels et bénévoles en contact avec le public : accueil, santé, social, "
            "éducation, sécurité, animation."
        ),
        "prerequisites": "",
        "trainer": "France Victimes 49",
        "reference_material": (
            "Kits de la MIPROF « Anna » (violences au sein du couple) et « Elisa » "
            "(violences sexuelles) ; livret MIPROF-CNFPT « Accueillir et orienter une femme "
            "majeure victime de violences au sein du couple et/ou de violences sexuelles »."
        ),
        "min_registrants": 6,
        "default_capacity": 12,
    },
    {
        "slug": "questionnement-systematique",
        "title": "Le questionnement systématique",
        "summary": "Poser la question des violences à chaque personne reçue, et savoir quoi faire "
        "de la réponse.",
        "objectives": (
            "Comprendre pourquoi poser la question systématiquement.\n"
            "S'entraîner à la poser et à accueillir la réponse."
        ),
        "programme": "Court métrage « Elisa », échanges, mises en situation.",
        "duration_hours": Decimal("3.5"),
        "audience": "Professionnels de santé et du social.",
        "prerequisites": "Avoir suivi le primo-accueil, ou une formation équivalente.",
        "trainer": "Solidarité Femmes 49",
        "reference_material": "Kit de la MIPROF « Elisa ».",
        "min_registrants": 5,
        "default_capacity": 15,
    },
    {
        "slug": "enfants-exposes",
        "title": "Enfants exposés aux violences conjugales",
        "summary": "Repérer l'enfant co-victime et agir pour sa protection.",
        "objectives": (
            "Connaître les effets des violences conjugales sur l'enfant.\n"
            "Savoir transmettre une information préoccupante."
        ),
        "programme": "Court métrage « Tom et Léna », cadre légal de la protection de l'enfance.",
        "duration_hours": Decimal("3.5"),
        "audience": "Professionnels de l'enfance, de l'éducation et de la santé.",
        "prerequisites": "",
        "trainer": (
            "Centre d'information sur les droits des femmes et des familles de Maine-et-Loire"
        ),
        "reference_material": "Kit de la MIPROF « Tom et Léna ».",
        "min_registrants": 6,
        "default_capacity": 15,
    },
    {
        "slug": "milieu-festif",
        "title": "Violences sexistes et sexuelles en milieu festif",
        "summary": "Pour le personnel des bars et établissements de nuit de la charte « Pas de "
        "soirée sans respect ».",
        "objectives": (
            "Repérer une situation de harcèlement ou d'agression dans un établissement.\n"
            "Intervenir sans se mettre en danger, mettre la personne à l'abri, alerter."
        ),
        "programme": (
            "Situations vécues en établissement, protocole d'intervention, numéros utiles."
        ),
        "duration_hours": Decimal("3"),
        "audience": "Personnel des bars, discothèques et salles de concert.",
        "prerequisites": "",
        "trainer": "Planning familial 49",
        "reference_material": "",
        "min_registrants": 4,
        "default_capacity": 12,
    },
]

STAFF = [
    ("Ville d'Angers", "Agente d'accueil", "Sophie", "Martin"),
    ("Ville d'Angers", "Agent d'accueil", "Karim", "Benali"),
    ("Caisse d'allocations familiales de Maine-et-Loire", "Travailleuse sociale", "Julie", "Roux"),
    ("Centre hospitalier universitaire d'Angers", "Infirmière", "Claire", "Lefèvre"),
    ("Centre hospitalier universitaire d'Angers", "Sage-femme", "Inès", "Moreau"),
    ("Université d'Angers", "Chargée de mission égalité", "Léa", "Garnier"),
    ("Angers Loire Habitat", "Gardien d'immeuble", "Marc", "Petit"),
    ("Réseau de transport Irigo", "Agente de médiation", "Nadia", "Haddad"),
    ("Département de Maine-et-Loire", "Assistante sociale", "Emma", "Fournier"),
    ("Service d'incendie et de secours de Maine-et-Loire", "Sapeur-pompier", "Thomas", "Blanc"),
    ("Planning familial 49", "Conseillère conjugale", "Aïcha", "Diallo"),
    ("Médiations 49", "Médiateur", "Hugo", "Lambert"),
    ("Ville d'Angers", "Animatrice jeunesse", "Chloé", "Bonnet"),
    ("Université d'Angers", "Infirmier", "Yanis", "Mercier"),
]


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _module(territory: Territory, spec: dict) -> Module:
    trainer = Organisation.objects.filter(territory=territory, name=spec["trainer"]).first()
    fields = {k: v for k, v in spec.items() if k not in {"slug", "trainer"}}
    module, _ = Module.objects.update_or_create(
        slug=spec["slug"],
        defaults={**fields, "territory": territory, "trainer_organisation": trainer},
    )
    return module


def _session(module: Module, *, place: str, days: list[date], halves: list, **fields):
    session = module.sessions.filter(place_name=place).first()
    if session is not None:
        return session, False
    session = TrainingSession.objects.create(
        module=module,
        capacity=fields.pop("capacity", module.default_capacity),
        place_name=place,
        **fields,
    )
    for day in days:
        for start, end in halves:
            TrainingSlot.objects.create(session=session, date=day, start=start, end=end)
    return session, True


def _people(territory: Territory, rows) -> list[Person]:
    people = []
    for organisation_name, function, first_name, last_name in rows:
        organisation = Organisation.objects.get(territory=territory, name=organisation_name)
        email = f"{slugify(first_name)}.{slugify(last_name)}@demo.maillage.fr"
        people.append(Person(first_name, last_name, email, function, organisation))
    return people


@transaction.atomic
def load_demo_data() -> list:
    territory = Territory.objects.filter(slug="angers-loire-metropole").first()
    if territory is None:  # the core demo comes first
        return []
    modules = {spec["slug"]: _module(territory, spec) for spec in MODULES}
    angers = Commune.objects.filter(pk=ANGERS).first()
    trainer = User.objects.filter(
        roles__kind=Role.Kind.TRAINER, roles__organisation__territory=territory
    ).first()
    today = timezone.localdate()
    monday = next_weekday(today + timedelta(days=14), 0)
    where = {"address": "1 place Imbach", "commune": angers}

    # An open "primo-accueil" session in a fortnight, half full.
    primo, created = _session(
        modules["primo-accueil"],
        place="Maison de la justice et du droit",
        days=[monday + timedelta(days=1)],
        halves=[MORNING, AFTERNOON],
        registration_deadline=monday - timedelta(days=3),
        practical_info="Accès tram ligne A, arrêt Molière. Déjeuner libre.",
        **where,
    )
    if created:
        if trainer:
            primo.trainers.add(trainer)
        open_registrations(session=primo)
        register_people(
            session=primo, people=_people(territory, STAFF[:7]), by=None, notify_people=False
        )
        confirm_session(session=primo)

    # A full one with a waiting list, the week after.
    full, created = _session(
        modules["questionnement-systematique"],
        place="Centre hospitalier universitaire, salle de formation",
        days=[monday + timedelta(days=10)],
        halves=[MORNING],
        capacity=8,
        address="4 rue Larrey",
        commune=angers,
        address_for_registrants_only=False,
    )
    if created:
        open_registrations(session=full)
        register_people(
            session=full, people=_people(territory, STAFF[3:14]), by=None, notify_people=False
        )

    # Announced, registrations not open yet; and one at a distance.
    _session(
        modules["enfants-exposes"],
        place="Visioconférence",
        days=[monday + timedelta(days=35)],
        halves=[MORNING],
        remote_url="https://visio.example.org/enfants-exposes",
    )
    nightlife, created = _session(
        modules["milieu-festif"],
        place="Salle Chabada",
        days=[monday + timedelta(days=22)],
        halves=[AFTERNOON],
        address="56 boulevard du Doyenné",
        commune=angers,
    )
    if created:
        open_registrations(session=nightlife)

    load_history(territory, modules)
    return []
