from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.core.mfa import SecretUnreadable, reencrypt_authenticators


class Command(BaseCommand):
    help = (
        "Chiffre à nouveau les secrets du second facteur (clés TOTP, codes de secours) avec la "
        "première clé de MFA_ENCRYPTION_KEYS, et chiffre ceux encore stockés en clair. À lancer "
        "après avoir placé une nouvelle clé en tête de la liste, avant de retirer l'ancienne."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--drop-unreadable",
            action="store_true",
            help=(
                "supprime les seconds facteurs qu'aucune clé ne déchiffre (clé perdue) : leurs "
                "titulaires se connectent avec leur mot de passe et en enrôlent un nouveau"
            ),
        )

    def handle(self, *args, drop_unreadable: bool = False, **options) -> None:
        try:
            with transaction.atomic():
                saved, deleted = reencrypt_authenticators(
                    Authenticator.objects.select_for_update().order_by("pk"),
                    drop_unreadable=drop_unreadable,
                )
        except SecretUnreadable as error:
            raise CommandError(
                _(
                    "Un secret ne peut être déchiffré avec aucune des clés configurées : rien "
                    "n'a été modifié. Remettez l'ancienne clé dans MFA_ENCRYPTION_KEYS (après "
                    "la nouvelle) et relancez la commande ; si elle est perdue, relancez-la avec "
                    "--drop-unreadable."
                )
            ) from error
        self.stdout.write(_("%d second(s) facteur(s) chiffré(s) avec la clé actuelle.") % saved)
        if deleted:
            self.stdout.write(
                _("%d second(s) facteur(s) illisible(s) supprimé(s), à enrôler de nouveau.")
                % deleted
            )
