"""maillage training-offers

Periodic job (every hour, say): expires the seats offered to the waiting list and not taken in
time, and offers each one to the next in line. Running it again changes nothing more.
"""

from django.core.management.base import BaseCommand

from maillage.trainings.registration import expire_offers


class Command(BaseCommand):
    help = "Fait expirer les places proposées non confirmées à temps et les propose à la suite."

    def handle(self, *args, **options) -> None:
        count = expire_offers()
        self.stdout.write(f"{count} proposition(s) expirée(s).")
