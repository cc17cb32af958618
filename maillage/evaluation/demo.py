"""Evaluation demo for Angers: the indicators of the 2024-2026 contract with their targets.

The results table of the press release — 16 "primo-accueil" sessions, more than 200 people from
about 80 structures, 5000 guides, 75 staff of 24 bars, 100 % of signatories judging the impact
positive — is made of headline indicators computed from the records the other demos write
(trainings, prevention; the network's demo links its impact survey question to the indicator
`impact-positif`). They count cumulatively, since the first contract, as the press release does.
Two indicators are entered by partners, with values for 2024 and 2025.

Idempotent: an indicator is found again by its contract and code, a value by its period.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from maillage.core.models import Contract, Organisation, Territory, User
from maillage.trainings.models import Module

from .models import Indicator
from .services import record_value

I = Indicator  # noqa: E741
PRIMO = "primo-accueil"

# code, priority, title, source, computation, primo only, cumulative, unit, target, level,
# headline, responsible
INDICATORS = [
    ("sessions-primo-accueil", "FORMER", "Sessions de formation « primo-accueil » réalisées",
     I.Source.COMPUTED, "sessions_held", True, True, "sessions", 16, I.Level.OUTPUT, True, ""),
    ("personnes-formees", "FORMER", "Personnes formées au primo-accueil",
     I.Source.COMPUTED, "people_trained", True, True, "personnes", 200, I.Level.OUTPUT, True, ""),
    ("structures-touchees", "FORMER", "Structures dont des personnes ont été formées",
     I.Source.COMPUTED, "structures_reached", True, True, "structures", 80, I.Level.OUTPUT, True,
     ""),
    ("guides-distribues", "PRÉVENIR", "Guides « Agir contre les violences sexistes et sexuelles » "
     "distribués", I.Source.COMPUTED, "guides_distributed", False, True, "exemplaires", 5000,
     I.Level.OUTPUT, True, "Angers Loire Métropole"),
    ("personnels-bars-formes", "FORMER", "Personnels des bars de la charte de la vie nocturne "
     "formés", I.Source.COMPUTED, "venue_staff_trained", False, True, "personnes", 75,
     I.Level.OUTPUT, True, ""),
    ("bars-formes", "FORMER", "Bars de la charte de la vie nocturne dont le personnel est formé",
     I.Source.COMPUTED, "venues_trained", False, True, "bars", 24, I.Level.OUTPUT, True, ""),
    ("impact-positif", "FÉDÉRER", "Signataires jugeant l'impact du contrat positif",
     I.Source.SURVEY, "", False, True, "%", 100, I.Level.OUTCOME, True, ""),
    ("lieux-labellises", "FORMER", "Lieux labellisés par la charte de la vie nocturne",
     I.Source.COMPUTED, "venues_labelled", False, False, "lieux", 25, I.Level.OUTPUT, False, ""),
    ("actions-sensibilisation", "PRÉVENIR", "Actions de sensibilisation réalisées",
     I.Source.COMPUTED, "events_held", False, False, "actions", 20, I.Level.OUTPUT, False, ""),
    ("reemplois-supports", "PRÉVENIR", "Réemplois des supports déclarés par les partenaires",
     I.Source.COMPUTED, "materials_reused", False, False, "réemplois", 10, I.Level.OUTCOME, False,
     ""),
    ("signataires", "FÉDÉRER", "Signataires du contrat", I.Source.COMPUTED, "signatories", False,
     False, "signataires", 25, I.Level.MEANS, False, ""),
    ("fraicheur-annuaire", "FÉDÉRER", "Fiches de l'annuaire vérifiées depuis moins d'un an",
     I.Source.COMPUTED, "directory_freshness", False, False, "%", 90, I.Level.OUTPUT, False, ""),
    ("orientations-recues", "FÉDÉRER", "Orientations reçues d'un partenaire du contrat",
     I.Source.ENTERED, "", False, False, "orientations", 400, I.Level.OUTCOME, False,
     "Solidarité Femmes 49"),
    ("temps-coordination", "FÉDÉRER", "Temps de coordination consacré au contrat",
     I.Source.ENTERED, "", False, False, "ETP", 1, I.Level.MEANS, False, "Angers Loire Métropole"),
]  # fmt: skip

DEFINITIONS = {
    "personnes-formees": "Personnes distinctes présentes (ou en retard) à au moins une "
    "demi-journée d'une session « primo-accueil » non annulée, depuis la première session.",
    "structures-touchees": "Structures distinctes des personnes formées au primo-accueil.",
    "impact-positif": "Part des signataires répondant que le contrat a eu un impact positif "
    "(enquête annuelle d'impact).",
    "orientations-recues": "Nombre de premières prises de contact orientées par un partenaire "
    "du contrat, compté par l'association sur l'année. Un total, jamais une liste de personnes.",
    "temps-coordination": "Équivalents temps plein consacrés à l'animation du contrat.",
}

# indicator code, year, value, comment
ENTERED_VALUES = [
    ("orientations-recues", 2024, Decimal(312), "Compté à partir du registre d'accueil."),
    ("orientations-recues", 2025, Decimal(356), "Compté à partir du registre d'accueil."),
    ("temps-coordination", 2024, Decimal("0.8"), "Chargée de mission CISPD."),
    ("temps-coordination", 2025, Decimal("0.8"), "Chargée de mission CISPD."),
]


def load_demo_data() -> list:
    territory = Territory.objects.filter(slug="angers-loire-metropole").first()
    if territory is None:
        return []
    contract = Contract.objects.filter(territory=territory, start_date=date(2024, 9, 27)).first()
    if contract is None:
        return []
    priorities = {priority.code: priority for priority in contract.priorities.all()}
    primo = Module.objects.filter(slug=PRIMO, territory=territory).first()
    organisations = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(territory=territory)
    }
    indicators = {}
    for position, row in enumerate(INDICATORS):
        (code, priority, title, source, computation, primo_only, cumulative, unit, target) = row[:9]
        level, headline, responsible = row[9:]
        indicators[code], _created = Indicator.objects.update_or_create(
            contract=contract,
            code=code,
            defaults={
                "title": title,
                "definition": DEFINITIONS.get(code, ""),
                "priority": priorities.get(priority),
                "source": source,
                "computation": computation,
                "training_module": primo if primo_only else None,
                "cumulative": cumulative,
                "unit": unit,
                "target": Decimal(target),
                "level": level,
                "is_headline": headline,
                "responsible": organisations.get(responsible),
                "position": position,
                "frequency": Indicator.Frequency.YEARLY,
            },
        )
    referent = User.objects.filter(email="referente@demo.maillage.fr").first()
    coordinator = User.objects.filter(email="coordination@demo.maillage.fr").first()
    for code, year, value, comment in ENTERED_VALUES:
        indicator = indicators[code]
        if indicator.values.filter(
            period_start=date(year, 1, 1), period_end=date(year, 12, 31), value=value
        ).exists():
            continue
        by = referent if code == "orientations-recues" else coordinator
        record_value(
            indicator=indicator,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            value=value,
            comment=comment,
            by=by,
        )
    return []
