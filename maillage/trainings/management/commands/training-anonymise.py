"""maillage training-anonymise

Periodic job (every night, say): anonymises the registrations whose session ended more than
TRAININGS_RETENTION_YEARS years ago (3 by default), history included. The statistics stay the
same. Running it again changes nothing more.
"""

from django.core.management.base import BaseCommand

from maillage.trainings.anonymisation import anonymise_registrations, retention_years


class Command(BaseCommand):
    help = (
        "Anonymise les inscriptions aux formations dont la session est terminée depuis plus "
        "que la durée de conservation."
    )

    def handle(self, *args, **options) -> None:
        count = anonymise_registrations()
        self.stdout.write(
            f"{count} inscription(s) anonymisée(s) (conservation : {retention_years()} ans)."
        )
