"""`maillage orient --json < situation.json`: the composed orientation result of a situation,
the same as the guide's and the API's (composition.compose). Nothing is kept."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import Territory
from maillage.core.territories import current_territory
from maillage.orientation.composition import compose
from maillage.orientation.situation import SituationError, parse_situation


class Command(BaseCommand):
    help = (
        "Affiche le résultat d'orientation composé pour une situation lue en JSON sur l'entrée "
        "standard (mêmes clés que POST /api/v1/orientation)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="répondre en JSON (sinon un texte lisible)"
        )
        parser.add_argument("--territory", help="identifiant d'URL du territoire")

    def handle(self, *args, **options) -> None:
        try:
            data = json.load(sys.stdin)
        except json.JSONDecodeError as error:
            raise CommandError(f"JSON invalide : {error}") from error
        try:
            situation = parse_situation(data)
        except SituationError as error:
            raise CommandError(" ".join(error.messages)) from error
        territory = current_territory()
        if options["territory"]:
            territory = Territory.objects.filter(slug=options["territory"]).first()
            if territory is None:
                raise CommandError(f"Territoire inconnu : {options['territory']}")
        result = compose(situation, territory=territory).as_json()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Urgence : {result['urgency']}")
        for number in result["numbers"]:
            self.stdout.write(
                f"  {number['number'] or number['url']} {number['name']} — {number['why']}"
            )
        for contact in result["contacts"]:
            distance = "" if contact["distance_km"] is None else f" ({contact['distance_km']} km)"
            self.stdout.write(
                f"  {contact['organisation']} — {contact['name']} {contact['phone']}{distance}"
            )
        for step in result["steps"]:
            hours = "" if step["deadline_hours"] is None else f" [{step['deadline_hours']} h]"
            self.stdout.write(f"  → {step['text']}{hours}")
        for duty in result["duties"]:
            self.stdout.write(f"  § {duty['legal_basis']} : {duty['text']}")
        for advice in result["advice"]:
            self.stdout.write(f"  · {advice}")
