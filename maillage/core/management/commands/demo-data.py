from django.core.management.base import BaseCommand

from maillage.core.demo import DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = "Charge (ou met à jour) les données de démonstration d'Angers Loire Métropole."

    def handle(self, *args, **options) -> None:
        logins = load_demo_data()
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées.\n"))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for login in logins:
            line = f"  {login.role:<28} {login.email:<36} {login.organisation}"
            self.stdout.write(line)
        secrets = {login.totp_secret for login in logins if login.totp_secret}
        for secret in secrets:
            self.stdout.write(
                f"\nDouble authentification (administrateur et coordination) : clé TOTP {secret}\n"
                "  à saisir dans une application d'authentification "
                "(saisie manuelle, 6 chiffres, 30 s)."
            )
