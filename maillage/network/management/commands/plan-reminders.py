"""maillage plan-reminders

Daily job: 14 days and 3 days before each planned COPIL, asks the referents of every
organisation piloting an open action sheet of the contract to update their sheets. Each
reminder goes once per meeting, pilot and delay: running it twice sends nothing more.
"""

from django.core.management.base import BaseCommand

from maillage.network.emails import send_plan_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux pilotes des fiches action de les mettre à jour avant chaque COPIL "
        "(14 jours et 3 jours avant), une seule fois chacun."
    )

    def handle(self, *args, **options) -> None:
        count = send_plan_reminders()
        self.stdout.write(f"{count} rappel(s) envoyé(s).")
