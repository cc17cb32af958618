from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from maillage.core.demo import DEMO_PASSWORD


def demo_modules():
    """Each Maillage app may have a demo module; they load in INSTALLED_APPS order (core first)."""
    for config in apps.get_app_configs():
        if config.name.startswith("maillage."):
            try:
                yield import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise


class Command(BaseCommand):
    help = "Charge (ou met à jour) les données de démonstration d'Angers Loire Métropole."

    def handle(self, *args, **options) -> None:
        logins = []
        with transaction.atomic():
            for module in demo_modules():
                logins += module.load_demo_data() or []
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées.\n"))
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD}) :")
        for login in logins:
            line = f"  {login.role:<28} {login.email:<36} {login.organisation}"
            self.stdout.write(line)
        for secret in sorted({login.totp_secret for login in logins if login.totp_secret}):
            self.stdout.write(
                f"\nDouble authentification (administrateur et coordination) : clé TOTP {secret}\n"
                "  à saisir dans une application d'authentification "
                "(saisie manuelle, 6 chiffres, 30 s)."
            )
