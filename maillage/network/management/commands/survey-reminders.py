"""maillage survey-reminders

Daily job: closes the surveys whose closing day is past, and reminds once the referents of
the signatories that have not answered yet, from the survey's reminder day (7 days before
closing by default). Running it again sends nothing more.
"""

from django.core.management.base import BaseCommand

from maillage.network.survey_services import close_expired_surveys, send_survey_reminders


class Command(BaseCommand):
    help = (
        "Clôt les enquêtes dont la date est passée et relance une fois les signataires qui "
        "n'ont pas répondu."
    )

    def handle(self, *args, **options) -> None:
        closed = close_expired_surveys()
        reminded = send_survey_reminders()
        self.stdout.write(f"{closed} enquête(s) close(s), {reminded} relance(s) envoyée(s).")
