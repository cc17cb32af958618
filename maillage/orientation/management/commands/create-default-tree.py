from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import Territory
from maillage.orientation.services import DraftExists, create_default_tree
from maillage.orientation.tree import InvalidTree


class Command(BaseCommand):
    help = (
        "Crée le questionnaire d'orientation par défaut d'un territoire : publié s'il n'en a "
        "pas encore, sinon en brouillon."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("territory", help="identifiant d'URL du territoire")

    def handle(self, *args, territory: str, **options) -> None:
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            raise CommandError(f"Territoire inconnu : {territory}")
        try:
            version = create_default_tree(found)
        except (DraftExists, InvalidTree) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(
            self.style.SUCCESS(f"Version {version.number} ({version.get_status_display()}).")
        )
