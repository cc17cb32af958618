from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.core.communes import BUNDLED, load_communes


class Command(BaseCommand):
    help = (
        "Charge les communes du code officiel géographique (paquet npm "
        "@etalab/decoupage-administratif : dossier data/, ou l'extrait fourni)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", nargs="?", type=Path, default=BUNDLED)

    def handle(self, *args, source: Path, **options) -> None:
        if not source.exists():
            raise CommandError(f"Introuvable : {source}")
        count = load_communes(source)
        self.stdout.write(self.style.SUCCESS(f"{count} communes chargées."))
