"""maillage send-freshness-reminders [--base-url URL]

Daily cron job: emails the referents of each published service last verified between five and
six months ago, once per verification. Running it twice sends nothing more.
"""

from django.core.management.base import BaseCommand

from maillage.directory.freshness import send_freshness_reminders


class Command(BaseCommand):
    help = "Rappelle aux référents les fiches à vérifier (une fois par vérification)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="",
            help="Adresse publique du site (https://…), pour les liens des courriels.",
        )

    def handle(self, *args, base_url: str = "", **options):
        count = send_freshness_reminders(base_url=base_url)
        self.stdout.write(f"{count} rappel(s) envoyé(s).")
