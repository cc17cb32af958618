"""The first contract's training results, rebuilt as records (demo.py calls it).

The Angers contract reports, for 2021-2024: 16 "primo-accueil" sessions between November 2021
and October 2024 that trained more than 200 people from about 80 structures, and 75 staff of
24 bars trained under the nightlife charter. This module writes the sessions, registrations and
attendance behind those figures — 16 sessions, 203 people, 80 structures; 6 "milieu festif"
sessions, 75 staff of 24 bars with their yearly charter applications — so that the statistics
page computes them like any other.

The organisations other than the contract's signatories and every person are fictional (their
names end with « (démo) », their emails with @demo.maillage.fr). Deterministic: the same rows
on every run; idempotent: a session is found again by its module and its day, an organisation
by its name, an application by its venue and year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.text import slugify

from maillage.core.demo import SIGNATORIES_2024
from maillage.core.models import Commune, Organisation, Territory

from .charter import CharterApplication, CharterCommitment, LabelDecision, decide_label
from .models import Attendance, Module, TrainingSession, TrainingSlot
from .registration import Person, register_people
from .services import confirm_session, open_registrations

K = Organisation.Kind
ANGERS = "49007"
MORNING = (time(9), time(12, 30))
AFTERNOON = (time(13, 30), time(17))
EVENING_BEFORE_OPENING = (time(14), time(17))
DEMO = " (démo)"
DESCRIPTION = "Structure fictive des données de démonstration."

# One "primo-accueil" day on the third Thursday of these months (16 sessions).
PRIMO_MONTHS = [
    (2021, 11),
    (2022, 1),
    (2022, 3),
    (2022, 5),
    (2022, 6),
    (2022, 9),
    (2022, 11),
    (2023, 1),
    (2023, 3),
    (2023, 5),
    (2023, 6),
    (2023, 9),
    (2023, 11),
    (2024, 3),
    (2024, 6),
    (2024, 10),
]
PRIMO_PLACES = [
    "Hôtel de ville, salle du Roi René",
    "Maison des associations, salle Loire",
    "Centre Jean Vilar, salle 2",
]
# "Milieu festif" afternoons on Mondays (the bars' day off) of these months.
NIGHTLIFE_MONTHS = [(2022, 4), (2022, 10), (2023, 4), (2023, 10), (2024, 4), (2024, 9)]
NIGHTLIFE_PLACE = "Le Chabada, salle de répétition"

# Fictional structures: (name, kind, function of their staff).
FICTIONAL = [
    *[
        (f"Association {name}", K.ASSOCIATION, function)
        for name, function in [
            ("Les Quatre Vents", "Animatrice"),
            ("Trait d'Union", "Éducateur spécialisé"),
            ("Le Fil Rouge", "Bénévole d'accueil"),
            ("Passerelles", "Conseillère en insertion"),
            ("L'Escale", "Travailleuse sociale"),
            ("Horizon Femmes", "Bénévole d'écoute"),
            ("La Boussole", "Éducatrice"),
            ("Entre Deux Rives", "Médiateur"),
            ("Le Phare", "Coordinatrice"),
            ("Accueil et Partage", "Bénévole d'accueil"),
            ("Les Jardins d'Ardoise", "Encadrant technique"),
            ("Sport et Égalité", "Éducateur sportif"),
            ("Jeunesse en Scène", "Animateur"),
            ("Le Relais Solidaire", "Chargée d'accueil"),
            ("Lien d'Anjou", "Bénévole"),
        ]
    ],
    *[
        (f"Centre social {name}", K.ASSOCIATION, "Référente familles")
        for name in ["des Coteaux", "du Val de Maine", "des Ardoisières", "de la Roseraie Sud"]
    ],
    *[
        (f"Centre communal d'action sociale {name}", K.LOCAL_AUTHORITY, "Agent d'accueil")
        for name in ["des Ponts", "du Lac", "des Plateaux", "des Rives", "de la Vallée"]
    ],
    *[
        (f"Police municipale {name}", K.POLICE, "Agent de police municipale")
        for name in ["des Ponts", "du Lac"]
    ],
    *[
        (name, K.EDUCATION, function)
        for name, function in [
            ("Collège Les Ardoisières", "Conseillère principale d'éducation"),
            ("Collège du Val de Loire", "Infirmière scolaire"),
            ("Collège des Trois Rivières", "Assistante sociale scolaire"),
            ("Lycée professionnel du Maine", "Professeur"),
            ("Lycée des Plantagenêts", "Conseiller principal d'éducation"),
            ("École de la deuxième chance Loire-Anjou", "Formatrice"),
            ("Institut de formation en travail social du Val", "Formateur"),
            ("Centre de formation d'apprentis des Métiers", "Chargée de vie scolaire"),
            ("École d'infirmiers du Maine", "Formatrice"),
        ]
    ],
    *[
        (name, K.HEALTH, function)
        for name, function in [
            ("Maison de santé des Coteaux", "Médecin généraliste"),
            ("Maison de santé du Lac", "Infirmière"),
            ("Cabinet de sages-femmes du Mail", "Sage-femme"),
            ("Centre médico-psychologique Ouest", "Psychologue"),
            ("Centre de santé sexuelle Nord", "Conseillère conjugale"),
            ("Pharmacie du Ralliement", "Pharmacienne"),
            ("Cabinet infirmier des Ponts", "Infirmier"),
            ("Centre dentaire des Rives", "Assistante dentaire"),
            ("Service de soins à domicile du Val", "Aide-soignante"),
        ]
    ],
    *[
        (name, K.SOCIAL_PROTECTION, function)
        for name, function in [
            ("Mission locale Loire Sud", "Conseillère"),
            ("Maison de l'emploi des Basses Vallées", "Conseiller emploi"),
            ("Foyer de jeunes travailleurs Le Carrefour", "Animatrice socio-éducative"),
            ("Résidence sociale Les Tilleuls", "Intervenante sociale"),
        ]
    ],
    *[
        (name, K.COMPANY, function)
        for name, function in [
            ("Transports Ligériens", "Conducteur"),
            ("Hôtel Le Relais du Maine", "Réceptionniste"),
            ("Vigie Loire Sécurité", "Agent de sécurité"),
            ("Loire Intérim", "Chargée de recrutement"),
            ("Résidence seniors Les Glycines", "Responsable d'accueil"),
        ]
    ],
    *[
        (name, K.OTHER, "Animateur")
        for name in ["Maison de quartier du Lac", "Maison de quartier des Ponts"]
    ],
]
SIGNATORY_FUNCTIONS = {
    K.STATE: "Chargée de mission",
    K.LOCAL_AUTHORITY: "Agente d'accueil",
    K.JUSTICE: "Greffière",
    K.POLICE: "Gendarme",
    K.HEALTH: "Infirmière",
    K.EDUCATION: "Chargée de mission égalité",
    K.SOCIAL_PROTECTION: "Travailleuse sociale",
    K.ASSOCIATION: "Intervenante sociale",
}
BARS = [
    "Le Comptoir des Ardoises",
    "La Gabare",
    "Le Zinc du Ralliement",
    "Le Petit Maine",
    "Chez Plantagenêt",
    "Le Quai des Brasseurs",
    "La Cale Sèche",
    "L'Ardoisier",
    "Le Bouchon Angevin",
    "La Roseraie Club",
    "Le Kiosque",
    "Les Berges",
    "Le Loup Blanc",
    "La Tour Verte",
    "Le Doyenné",
    "Le Bar du Mail",
    "La Boîte à Jazz",
    "L'Échappée",
    "Le Pont de Verdun",
    "La Fabrique à Bières",
    "Le Grenier",
    "Le Lac de Maine Bar",
    "La Guinguette des Rives",
    "Le Carré Noir",
]
BAR_FUNCTIONS = ["Barman", "Serveuse", "Agent de sécurité", "Gérante", "Portier"]
FIRST_NAMES = [
    "Camille", "Léa", "Lucas", "Manon", "Hugo", "Chloé", "Louis", "Emma", "Nathan", "Inès",
    "Jules", "Sarah", "Adam", "Zoé", "Théo", "Lina", "Tom", "Jade", "Noah", "Alice",
    "Yanis", "Lou", "Maël", "Nina", "Sacha", "Rose", "Ilyes", "Clara", "Gabriel", "Anaïs",
    "Karim", "Fatou", "Pierre", "Marie", "Malik", "Elsa", "Paul", "Aya", "Victor",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément",
]  # fmt: skip
PRIMO_PEOPLE = 208  # 13 a session; 5 of them never came (203 people trained)
NEVER_CAME = range(200, 205)
PARTLY_ABSENT = range(100, 200, 17)  # missed the afternoon: trained all the same
STAFF_PER_BAR = [4, 4, 4] + [3] * 21  # 75


def third_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 14)


def person_name(number: int) -> tuple[str, str]:
    return FIRST_NAMES[number % len(FIRST_NAMES)], LAST_NAMES[(number * 7) % len(LAST_NAMES)]


def _organisation(
    territory: Territory, name: str, kind: str, commune: Commune | None, **fields
) -> Organisation:
    organisation, _ = Organisation.objects.update_or_create(
        territory=territory,
        name=name,
        defaults={"kind": kind, "commune": commune, "description": DESCRIPTION, **fields},
    )
    return organisation


# The bars' map position: a grid of 5 columns around the centre of Angers, under a kilometre away.
ANGERS_CENTRE = (47.4712, -0.5518)


def bar_coordinates(number: int) -> dict:
    row, column = divmod(number, 5)
    return {
        "latitude": round(ANGERS_CENTRE[0] + (row - 2) * 0.003, 6),
        "longitude": round(ANGERS_CENTRE[1] + (column - 2) * 0.004, 6),
    }


def _communes(territory: Territory) -> list[Commune]:
    """The territory's communes, Angers first (most structures are there)."""
    communes = list(territory.communes.order_by("insee_code"))
    communes.sort(key=lambda commune: commune.pk != ANGERS)
    return communes or list(Commune.objects.filter(pk=ANGERS))


def _held_session(
    module: Module,
    *,
    day: date,
    halves: list[tuple[time, time]],
    place: str,
    people: list[Person],
    commune: Commune | None,
    absent: dict[int, list[str]],
) -> TrainingSession:
    """A session that took place: registrations made a month before, confirmed, held, and the
    attendance of each half-day (`absent`: person index → statuses of each half-day)."""
    session = TrainingSession.objects.create(
        module=module,
        capacity=max(module.default_capacity, len(people)),
        place_name=place,
        address="Adresse fictive (démo)",
        commune=commune,
    )
    slots = [
        TrainingSlot.objects.create(session=session, date=day, start=start, end=end)
        for start, end in halves
    ]
    open_registrations(session=session)
    before = datetime.combine(
        day - timedelta(days=30), time(10), tzinfo=timezone.get_default_timezone()
    )
    registrations = register_people(
        session=session, people=people, by=None, notify_people=False, now=before
    )
    confirm_session(session=session)
    # Held through the model's transition rule rather than services.mark_held, which also
    # sends certificates and questionnaires once the transaction commits: these sessions are
    # years old and their people fictional, nobody is to be emailed.
    session.refresh_from_db()
    session.set_status(TrainingSession.Status.HELD)
    session.save(update_fields=["status"])
    rows = []
    for index, registration in enumerate(registrations):
        statuses = absent.get(index) or [Attendance.Status.PRESENT] * len(slots)
        for slot, status in zip(slots, statuses, strict=True):
            rows.append(
                Attendance(
                    registration=registration, slot=slot, status=status, marked_at=slot.ends_at
                )
            )
    Attendance.objects.bulk_create(rows)
    return session


def _primo_people(territory: Territory, communes: list[Commune]) -> list[Person]:
    signatories = [
        Organisation.objects.get(territory=territory, name=row[0]) for row in SIGNATORIES_2024
    ]
    structures = [
        (org, SIGNATORY_FUNCTIONS.get(org.kind, "Chargée d'accueil")) for org in signatories
    ]
    for number, (name, kind, function) in enumerate(FICTIONAL):
        commune = communes[number % len(communes)]
        structures.append((_organisation(territory, name + DEMO, kind, commune), function))
    people = []
    for number in range(PRIMO_PEOPLE):
        organisation, function = structures[number % len(structures)]
        first, last = person_name(number)
        email = f"{slugify(first)}.{slugify(last)}.{number:03d}@demo.maillage.fr"
        people.append(Person(first, last, email, function, organisation))
    return people


def _venue_staff(territory: Territory, communes: list[Commune]) -> list[Person]:
    people = []
    for number, (name, count) in enumerate(zip(BARS, STAFF_PER_BAR, strict=True)):
        commune = communes[0] if number % 4 else communes[(number // 4) % len(communes)]
        # On the map only in Angers: the demo knows no position in the other communes.
        position = bar_coordinates(number) if commune == communes[0] else {}
        bar = _organisation(territory, name + DEMO, K.NIGHTLIFE, commune, **position)
        for member in range(count):
            index = 500 + len(people)
            first, last = person_name(index)
            people.append(
                Person(
                    first,
                    last,
                    f"{slugify(first)}.{slugify(last)}.{index:03d}@demo.maillage.fr",
                    BAR_FUNCTIONS[(number + member) % len(BAR_FUNCTIONS)],
                    bar,
                )
            )
    return people


def _chunks(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    chunks, start = [], 0
    for part in range(parts):
        end = start + size + (1 if part < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks


def _charter(staff: list[Person], trained_in: dict[int, int], today: date) -> None:
    """Each bar applies the year its staff were trained and every year since; the committee
    grants the label a month later. This year: 20 granted, 2 pending, 1 refused, 1 withdrawn."""
    bars = list(dict.fromkeys(person.organisation for person in staff))
    commitments = list(CharterCommitment.values)
    for number, bar in enumerate(bars):
        for year in range(trained_in[bar.pk], today.year + 1):
            submitted = date(year, 2, 1) + timedelta(days=number)
            application, created = CharterApplication.objects.get_or_create(
                venue=bar,
                year=year,
                defaults={
                    "contact_name": " ".join(person_name(900 + number)),
                    "staff_count": STAFF_PER_BAR[number] + 3 + number % 5,
                    "commitments": commitments[: 4 + number % 4],
                    "submitted_on": submitted,
                },
            )
            if not created:
                continue
            decision = LabelDecision.GRANTED
            if year == today.year:
                decision = {20: "pending", 21: "pending", 22: "refused", 23: "withdrawn"}.get(
                    number, LabelDecision.GRANTED
                )
            if decision != LabelDecision.PENDING:
                decide_label(
                    application=application,
                    decision=decision,
                    on=min(submitted + timedelta(days=30), today),
                    comment=""
                    if decision == LabelDecision.GRANTED
                    else "Exemple de démonstration.",
                )


def load_history(territory: Territory, modules: dict[str, Module]) -> None:
    today = timezone.localdate()
    communes = _communes(territory)
    angers = communes[0]

    primo = modules["primo-accueil"]
    people = _primo_people(territory, communes)
    per_session = _chunks(list(enumerate(people)), len(PRIMO_MONTHS))
    for number, ((year, month), chunk) in enumerate(zip(PRIMO_MONTHS, per_session, strict=True)):
        day = third_weekday(year, month, 3)
        if primo.sessions.filter(slots__date=day).exists():
            continue
        absent: dict[int, list[str]] = {}
        for position, (index, _person) in enumerate(chunk):
            if index in NEVER_CAME:
                absent[position] = [Attendance.Status.EXCUSED, Attendance.Status.ABSENT]
            elif index in PARTLY_ABSENT:
                absent[position] = [Attendance.Status.LATE, Attendance.Status.EXCUSED]
        _held_session(
            primo,
            day=day,
            halves=[MORNING, AFTERNOON],
            place=PRIMO_PLACES[number % len(PRIMO_PLACES)],
            people=[person for _index, person in chunk],
            commune=angers,
            absent=absent,
        )

    festive = modules["milieu-festif"]
    staff = _venue_staff(territory, communes)
    trained_in: dict[int, int] = {}
    for (year, month), chunk in zip(
        NIGHTLIFE_MONTHS, _chunks(staff, len(NIGHTLIFE_MONTHS)), strict=True
    ):
        day = third_weekday(year, month, 0)
        for person in chunk:
            trained_in.setdefault(person.organisation.pk, year)
        if festive.sessions.filter(slots__date=day).exists():
            continue
        _held_session(
            festive,
            day=day,
            halves=[EVENING_BEFORE_OPENING],
            place=NIGHTLIFE_PLACE,
            people=chunk,
            commune=angers,
            absent={},
        )
    _charter(staff, trained_in, today)
