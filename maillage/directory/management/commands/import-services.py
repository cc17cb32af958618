import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.core.models import Territory
from maillage.directory.exchange.importer import import_services

PROGRESS_EVERY = 5000


class Command(BaseCommand):
    help = (
        "Importe des services au schéma data·inclusion (JSON ou CSV) dans l'annuaire d'un "
        "territoire. Rien n'est écrit si une ligne est invalide, sauf avec --valid-rows-only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["data-inclusion", "csv"], required=True)
        parser.add_argument("--territory", required=True, help="identifiant du territoire")
        parser.add_argument(
            "--dry-run", action="store_true", help="tout vérifier, ne rien enregistrer"
        )
        parser.add_argument(
            "--valid-rows-only",
            action="store_true",
            help="enregistrer les lignes valides et ignorer les autres",
        )

    def handle(self, *args, file: Path, format: str, territory: str, **options) -> None:
        if not file.exists():
            raise CommandError(f"Introuvable : {file}")
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            raise CommandError(f"Territoire inconnu : {territory}")
        step = {"last": 0, "phase": None}

        def progress(done: int, total: int | None) -> None:
            if (total is None) != step["phase"]:
                step.update(last=0, phase=total is None)
            if done - step["last"] >= PROGRESS_EVERY or (total and done == total > step["last"]):
                step["last"] = done
                of = f" / {total}" if total else ""
                phase = "Écriture" if total is not None else "Vérification"
                sys.stderr.write(f"{phase} : {done}{of} lignes…\n")

        report = import_services(
            file,
            format=format,
            territory=found,
            dry_run=options["dry_run"],
            valid_rows_only=options["valid_rows_only"],
            progress=progress,
        )
        for error in report.errors:
            self.stdout.write(f"Erreur — {error}")
        if report.errors_count > len(report.errors):
            self.stdout.write(f"… et {report.errors_count - len(report.errors)} autres erreurs.")
        for warning in report.warnings:
            self.stdout.write(f"Avertissement — {warning}")
        if report.warnings_count > len(report.warnings):
            more = report.warnings_count - len(report.warnings)
            self.stdout.write(f"… et {more} autres avertissements.")
        self.stdout.write(
            f"{report.rows} lignes lues, {report.invalid_rows} invalides, "
            f"{report.warnings_count} avertissements."
        )
        if report.written or (report.dry_run and not report.errors_count):
            self.stdout.write(
                f"Services : {report.created} créés, {report.updated} mis à jour, "
                f"{report.unchanged} inchangés, {report.skipped} lignes invalides ignorées.\n"
                f"Structures : {report.structures_created} créées, "
                f"{report.structures_updated} mises à jour."
            )
        if report.dry_run:
            self.stdout.write("Essai à blanc : rien n'a été enregistré (chiffres simulés).")
        if report.errors_count and not report.written:
            raise CommandError(
                "Rien n'a été enregistré : corrigez les lignes invalides, ou relancez avec "
                "--valid-rows-only pour n'enregistrer que les lignes valides."
                if not report.dry_run
                else "Des lignes sont invalides."
            )
        if report.written:
            self.stdout.write(self.style.SUCCESS("Import terminé."))
