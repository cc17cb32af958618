"""maillage training-reminders

Daily job: reminds the people registered (and their organisation's referents) 7 days and
1 day before a session. Each reminder goes once: running it twice sends nothing more.
"""

from django.core.management.base import BaseCommand

from maillage.trainings.reminders import send_reminders


class Command(BaseCommand):
    help = "Envoie les rappels de formation (7 jours et 1 jour avant), une seule fois chacun."

    def handle(self, *args, **options) -> None:
        count = send_reminders()
        self.stdout.write(f"{count} rappel(s) envoyé(s).")
