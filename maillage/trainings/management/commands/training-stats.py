"""maillage training-stats [--territory SLUG] [--from DATE] [--to DATE] [--module SLUG] [--json]

The training figures (statistics.py) for scripts: with --json, one JSON object whose keys
`sessions_held`, `people_trained`, `structures_reached`, `venues_trained` and
`venue_staff_trained` hold the totals, followed by the breakdowns; without it, a table.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import Territory
from maillage.trainings.models import Module
from maillage.trainings.statistics import KEYS, compute_statistics

LABELS = {
    "sessions_held": "Sessions réalisées",
    "people_trained": "Personnes formées",
    "structures_reached": "Structures touchées",
    "venues_trained": "Lieux de la charte formés",
    "venue_staff_trained": "Personnels de ces lieux formés",
}


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide (AAAA-MM-JJ attendu) : {value}") from error


class Command(BaseCommand):
    help = "Affiche les chiffres des formations (sessions, personnes, structures, lieux)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--territory", help="identifiant du territoire (slug)")
        parser.add_argument("--from", dest="date_from", type=parse_date, help="AAAA-MM-JJ")
        parser.add_argument("--to", dest="date_to", type=parse_date, help="AAAA-MM-JJ")
        parser.add_argument("--module", help="identifiant du module (slug)")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, **options) -> None:
        territory = module = None
        if options["territory"]:
            territory = Territory.objects.filter(slug=options["territory"]).first()
            if territory is None:
                raise CommandError(f"Territoire inconnu : {options['territory']}")
        if options["module"]:
            module = Module.objects.filter(slug=options["module"]).first()
            if module is None:
                raise CommandError(f"Module inconnu : {options['module']}")
        statistics = compute_statistics(
            territory=territory,
            module=module,
            date_from=options["date_from"],
            date_to=options["date_to"],
        )
        if options["json"]:
            self.stdout.write(json.dumps(statistics.as_dict(), ensure_ascii=False, indent=2))
            return
        totals = statistics.totals.as_dict()
        for key in KEYS:
            self.stdout.write(f"{LABELS[key]:<32} {totals[key]:>6}")
        if statistics.by_module:
            self.stdout.write("\nPar module")
            for row in statistics.by_module:
                self.stdout.write(
                    f"  {row.label[:48]:<48} {row.sessions_held:>4} sessions "
                    f"{row.people_trained:>5} personnes {row.structures_reached:>4} structures"
                )
