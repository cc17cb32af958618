"""maillage export-services --format data-inclusion|hsds|csv|xlsx [--output FILE]

Exports the published public services: what anyone may read, never a hidden address.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from maillage.directory.exchange.data_inclusion import export_data_inclusion
from maillage.directory.exchange.hsds import export_hsds
from maillage.directory.exchange.tabular import services_csv, services_xlsx
from maillage.directory.models import Service

FORMATS = ["data-inclusion", "hsds", "csv", "xlsx"]


class Command(BaseCommand):
    help = "Exporte les services publiés et publics (data·inclusion, HSDS 3, CSV ou XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, required=True, dest="export_format")
        parser.add_argument("--output", help="Fichier à écrire (sinon la sortie standard).")
        parser.add_argument(
            "--base-url",
            default="",
            help="Adresse publique du site (https://…), pour les liens vers les fiches.",
        )

    def handle(self, *args, export_format: str, output: str | None, base_url: str, **options):
        services = Service.objects.visible_to(None)
        if export_format == "xlsx":
            if not output:
                raise CommandError(
                    _("Le format xlsx demande un fichier : ajoutez --output FICHIER.")
                )
            content: str | bytes = services_xlsx(services)
        elif export_format == "csv":
            content = services_csv(services)
        else:
            data = (
                export_data_inclusion(services, base_url=base_url)
                if export_format == "data-inclusion"
                else export_hsds(services)
            )
            content = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder) + "\n"
        if not output:
            self.stdout.write(content, ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(_("Le dossier %(folder)s n'existe pas.") % {"folder": path.parent})
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # utf-8-sig for CSV: spreadsheets then read the accents right.
            path.write_text(content, encoding="utf-8-sig" if export_format == "csv" else "utf-8")
        self.stderr.write(
            _("%(count)d services exportés dans %(path)s.")
            % {"count": services.count(), "path": path}
        )
