"""maillage geocode-pending [--limit N]

Periodic job (hourly or daily): places with an address and no position are geocoded through
the Base Adresse Nationale (GEOCODER_URL). Idempotent; when the service is down it stops after a
few failures and the next run tries again. Confidential addresses are never sent.
"""

from django.core.management.base import BaseCommand

from maillage.directory.geocoding import geocode_pending, is_enabled


class Command(BaseCommand):
    help = "Calcule la position des lieux qui ont une adresse et pas encore de coordonnées."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="nombre de lieux au plus")

    def handle(self, *args, limit: int | None = None, **options):
        if not is_enabled():
            self.stdout.write("Géocodage désactivé (GEOCODER_URL vide) : rien à faire.")
            return
        counts = geocode_pending(limit=limit)
        self.stdout.write(
            f"{counts.get('located', 0)} lieu(x) localisé(s), "
            f"{counts.get('not-found', 0)} adresse(s) introuvable(s), "
            f"{counts.get('failed', 0)} échec(s) du service (nouvel essai au prochain passage)."
        )
