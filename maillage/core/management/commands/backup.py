from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from maillage.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers déposés dans une archive .tar.gz "
        "(par défaut sous var/backups/)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, help="chemin de l'archive à écrire")

    def handle(self, *args, output: Path | None = None, **options) -> None:
        try:
            summary = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        media = (
            _("%d fichier(s) déposé(s)") % summary.media_files
            if summary.media_included
            else _("fichiers déposés non inclus (stockage externe : sauvegardez-le à part)")
        )
        self.stdout.write(
            _("Sauvegarde écrite : %(path)s (%(engine)s, %(size)d octets, %(media)s).")
            % {"path": summary.path, "engine": summary.engine, "size": summary.size, "media": media}
        )
