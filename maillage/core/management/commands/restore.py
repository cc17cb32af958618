import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from maillage.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restaure une archive de `maillage backup` : la base de données et les fichiers "
        "déposés sont remplacés. L'archive est vérifiée avant toute modification."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="archive écrite par maillage backup")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args, path: Path, yes: bool = False, **options) -> None:
        if not yes:
            self.confirm(path)
        try:
            checked = restore_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "Restauration terminée depuis %(path)s (sauvegarde du %(date)s, "
                "%(files)d fichier(s) déposé(s))."
            )
            % {
                "path": path,
                "date": checked.manifest.get("created_at"),
                "files": checked.media_files,
            }
        )
        if checked.missing_migrations:
            self.stdout.write(
                _(
                    "La sauvegarde précède des migrations de cette version : "
                    "lancez maillage migrate."
                )
            )

    def confirm(self, path: Path) -> None:
        name = connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
        if not sys.stdin or not sys.stdin.isatty():
            raise CommandError(_("Restauration refusée sans confirmation : relancez avec --yes."))
        answer = input(
            _(
                "La base %(name)s et les fichiers déposés vont être remplacés par le contenu de "
                "%(path)s. Tapez « oui » pour continuer : "
            )
            % {"name": name, "path": path}
        )
        if answer.strip().lower() != "oui":
            raise CommandError(_("Restauration annulée : rien n'a été modifié."))
