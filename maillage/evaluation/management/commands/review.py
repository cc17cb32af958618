"""maillage review CONTRACT [--year YYYY] --format html|pdf|json [--output FILE]

The review (bilan) of a contract, written from the records. Contracts have no slug: CONTRACT is
the contract's number (its pk, as in the workspace's addresses), or a territory's slug for its
current contract, or `TERRITORY-SLUG:START-END` for one of its contracts (angers-loire-metropole:
2024-2026). Without --output, JSON and HTML go to the standard output; a PDF needs --output.
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from maillage.core.models import Contract, Territory
from maillage.evaluation.review import build_review, review_pdf, review_tables


def find_contract(identifier: str) -> Contract:
    contracts = Contract.objects.select_related("territory")
    if identifier.isdigit():
        contract = contracts.filter(pk=int(identifier)).first()
    elif match := re.fullmatch(r"([\w-]+):(\d{4})-(\d{4})", identifier):
        slug, start, end = match.groups()
        contract = contracts.filter(
            territory__slug=slug, start_date__year=int(start), end_date__year=int(end)
        ).first()
    else:
        territory = Territory.objects.filter(slug=identifier).first()
        contract = territory.current_contract() if territory else None
    if contract is None:
        raise CommandError(f"Contrat introuvable : {identifier}")
    return contract


class Command(BaseCommand):
    help = "Écrit le bilan d'un contrat (HTML, PDF ou JSON), calculé à partir des enregistrements."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "contract", help="numéro du contrat, ou slug du territoire, ou SLUG:AAAA-AAAA"
        )
        parser.add_argument("--year", type=int, help="bilan annuel de cette année (AAAA)")
        parser.add_argument("--format", choices=["html", "pdf", "json"], default="json")
        parser.add_argument("--output", help="fichier à écrire (obligatoire pour le PDF)")

    def handle(self, *args, **options) -> None:
        contract = find_contract(options["contract"])
        year = options["year"]
        if year is not None and not (contract.start_date.year <= year <= contract.end_date.year):
            raise CommandError(
                f"L'année {year} n'est pas dans la période du contrat ({contract.period})."
            )
        review = build_review(contract, year)
        output = options["output"]
        if options["format"] == "pdf":
            if not output:
                raise CommandError("Le PDF s'écrit dans un fichier : précisez --output.")
            Path(output).write_bytes(review_pdf(review))
            self.stderr.write(f"Bilan écrit dans {output}")
            return
        if options["format"] == "json":
            text = json.dumps(review, ensure_ascii=False, indent=2)
        else:
            text = render_to_string(
                "evaluation/pdf/review.html",
                {
                    "review": review,
                    "tables": review_tables(review),
                    "title": review["contract"]["title"],
                    "generated_at": timezone.localtime(),
                },
            )
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Bilan écrit dans {output}")
        else:
            self.stdout.write(text)
