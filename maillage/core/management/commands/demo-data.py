from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

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
    help = (
        "Charge (ou met à jour) les données de démonstration d'Angers Loire Métropole. "
        "Refuse de s'exécuter hors d'une instance de démonstration (DEBUG ou DEMO_MODE) sans "
        "--force : elles créent un administrateur au mot de passe et à la clé TOTP publics."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Charger la démonstration même si ni DEBUG ni DEMO_MODE n'est activé."),
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not (settings.DEBUG or settings.DEMO_MODE or force):
            raise CommandError(
                _(
                    "Refusé : ni DEBUG ni DEMO_MODE n'est activé, cette base est peut-être celle "
                    "d'une instance réelle. Les données de démonstration créent un administrateur "
                    "dont le mot de passe et la clé de double authentification sont publics. "
                    "Sur une instance de démonstration, définissez DEMO_MODE=1 ; sinon "
                    "relancez avec --force si vous êtes certain·e de la base visée."
                )
            )
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
